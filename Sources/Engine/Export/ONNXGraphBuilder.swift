import Foundation
import EngineTensor
import EngineNN

/// A value flowing through the graph being exported: its ONNX name, an example of it computed by
/// serscript on a small batch (which gives every static dimension), and which dimension holds
/// the batch (written as −1 in reshapes, so the exported batch size stays free).
struct ONNXValue {
    var name: String
    var example: Tensor
    var batchAxis: Int

    var shape: [Int] { example.shape }
    var rank: Int { example.rank }
}

/// An unsupported layer or setting met while exporting, named by its place in the model.
public struct ONNXExportError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
    init(layer: Module, _ reason: String) { description = LayerError(layer: layer, reason: reason).description }
}

/// Collects nodes and initializers of one ONNX graph, naming every value uniquely.
final class ONNXGraphBuilder {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var counter = 0

    /// A fresh value name with a readable stem (`conv2Dblock.0/Conv_12`).
    func freshName(_ stem: String) -> String {
        counter += 1
        return "\(stem)_\(counter)"
    }

    /// Adds a node of `op` and returns the name of its (first) output.
    @discardableResult
    func node(_ op: String, _ inputs: [String], attributes: [Onnx_AttributeProto] = [], outputs: Int = 1) -> String {
        nodeOutputs(op, inputs, attributes: attributes, outputs: outputs)[0]
    }

    /// Adds a node of `op` with `outputs` outputs and returns their names.
    func nodeOutputs(_ op: String, _ inputs: [String], attributes: [Onnx_AttributeProto] = [], outputs: Int) -> [String] {
        var node = Onnx_NodeProto()
        node.opType = op
        node.name = freshName(op)
        node.input = inputs
        node.output = (0..<outputs).map { _ in freshName(op + "_out") }
        node.attribute = attributes
        nodes.append(node)
        return node.output
    }

    /// Adds a float initializer and returns its name.
    func constant(_ values: [Float], shape: [Int], name: String? = nil) -> String {
        let tensorName = name ?? freshName("const")
        initializers.append(ONNXTensors.float(values, shape: shape, name: tensorName))
        return tensorName
    }

    /// Adds a float initializer holding `tensor` and returns its name.
    func constant(_ tensor: Tensor, name: String? = nil) -> String { constant(tensor.values, shape: tensor.shape, name: name) }

    /// Adds an int64 initializer (shapes, axes, indices) and returns its name.
    func int64s(_ values: [Int], shape: [Int]? = nil) -> String {
        let tensorName = freshName("ints")
        initializers.append(ONNXTensors.int64(values, shape: shape ?? [values.count], name: tensorName))
        return tensorName
    }

    /// Gives `value` the fixed name `name` (graph outputs): renames the node output and its uses,
    /// or adds an Identity when `value` is not a node's output (a graph input or an initializer).
    func rename(output value: String, to name: String) {
        guard nodes.contains(where: { $0.output.contains(value) }) else {
            nodes.append(Self.identity(value, name))
            return
        }
        for index in nodes.indices {
            nodes[index].output = nodes[index].output.map { $0 == value ? name : $0 }
            nodes[index].input = nodes[index].input.map { $0 == value ? name : $0 }
        }
    }

    private static func identity(_ input: String, _ output: String) -> Onnx_NodeProto {
        var node = Onnx_NodeProto()
        node.opType = "Identity"
        node.name = "Identity_" + output
        node.input = [input]
        node.output = [output]
        return node
    }
}

/// ONNX attribute constructors.
enum ONNXAttribute {
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = Int64(value)
        return attribute
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .ints
        attribute.ints = values.map(Int64.init)
        return attribute
    }

    static func float(_ name: String, _ value: Float) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .float
        attribute.f = value
        return attribute
    }

    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .string
        attribute.s = Data(value.utf8)
        return attribute
    }
}
