import Foundation
import SwiftProtobuf
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineReport

/// ONNX export of serscript models and model bundles (`serscript export`, `export_onnx`).
///
/// The graph uses the standard domain at opset 17 with static shapes except the batch dimension
/// (`N`): input `features` `[N, …one example's shape…]`, outputs `logits` `[N, classes]` and
/// `probabilities` (their softmax). A bundle's scaler becomes the first two nodes (`Sub` mean,
/// `Div` scale), so the file takes the feature pipeline's raw log-mel. Weights are initializers;
/// batch norm uses its running statistics and dropout is left out (the model as in eval mode).
public enum ONNXExport {
    /// The operator set version the exporter writes.
    public static let opset = 17
    /// The ONNX IR version that goes with opset 17.
    public static let irVersion = 8
    public static let inputName = "features"
    public static let logitsName = "logits"
    public static let probabilitiesName = "probabilities"

    /// The serialized ONNX model of `model` for examples of `inputShape` (without the batch
    /// dimension), with `scaler` applied first when given; `classNames` go into the model's
    /// metadata (`classes`, a JSON list). Throws naming the first layer that has no ONNX form.
    public static func serialize(_ model: Module, inputShape: [Int], scaler: StandardScaler? = nil, classNames: [String] = [],
                                 producerVersion: String = "") throws -> Data {
        if let scaler, scaler.sampleShape != inputShape {
            throw ONNXExportError("the scaler was fitted on examples of shape \(scaler.sampleShape), but the input shape is \(inputShape)")
        }
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let emitter = ONNXEmitter()
        let logits = try GradMode.withDisabled { () throws -> ONNXValue in
            var x = ONNXValue(name: inputName, example: try Tensor.zeros([2] + inputShape), batchAxis: 0)
            if let scaler { x = scaled(x, scaler, emitter.graph) }
            return try emitter.emit(model, x)
        }
        guard logits.rank == 2, logits.batchAxis == 0 else {
            throw ONNXExportError("the model's output must be logits of shape (batch, classes); it gives \(logits.shape) for a batch of 2")
        }
        let classes = logits.shape[1]
        if !classNames.isEmpty, classNames.count != classes {
            throw ONNXExportError("the model gives \(classes) outputs but \(classNames.count) class names are given")
        }
        emitter.graph.rename(output: logits.name, to: logitsName)
        emitter.graph.node("Softmax", [logitsName], attributes: [ONNXAttribute.int("axis", 1)])
        emitter.graph.rename(output: emitter.graph.nodes[emitter.graph.nodes.count - 1].output[0], to: probabilitiesName)

        var graph = Onnx_GraphProto()
        graph.name = "serscript"
        graph.node = emitter.graph.nodes
        graph.initializer = emitter.graph.initializers
        graph.input = [ONNXTensors.valueInfo(inputName, shape: [nil] + inputShape)]
        graph.output = [ONNXTensors.valueInfo(logitsName, shape: [nil, classes]),
                        ONNXTensors.valueInfo(probabilitiesName, shape: [nil, classes])]
        var onnx = Onnx_ModelProto()
        onnx.irVersion = Int64(irVersion)
        onnx.producerName = "serscript"
        onnx.producerVersion = producerVersion
        var opsetImport = Onnx_OperatorSetIdProto()
        opsetImport.domain = ""
        opsetImport.version = Int64(opset)
        onnx.opsetImport = [opsetImport]
        onnx.graph = graph
        if !classNames.isEmpty {
            var entry = Onnx_StringStringEntryProto()
            entry.key = "classes"
            entry.value = JSONValue.array(classNames.map(JSONValue.string)).encoded()
            onnx.metadataProps = [entry]
        }
        return try onnx.serializedBytes()
    }

    /// The serialized ONNX model of `bundle`: its model, its scaler as the first nodes, its class
    /// names, for inputs of the shape its feature pipeline makes (`inputShape(of:)`).
    public static func serialize(bundle: ModelBundle) throws -> Data {
        try serialize(try bundle.makeModel(), inputShape: try inputShape(of: bundle), scaler: bundle.scaler,
                      classNames: bundle.classNames, producerVersion: bundle.provenance.serscriptVersion)
    }

    /// One example's shape as the bundle's pipeline makes it (`[1, n_mels, frames]`, or
    /// `[chunks, 1, n_mels, width]` when chunked): the scaler's when there is one, otherwise that of
    /// a silent clip of the pipeline's duration. A pipeline without a fixed duration has no static shape.
    public static func inputShape(of bundle: ModelBundle) throws -> [Int] {
        if let scaler = bundle.scaler { return scaler.sampleShape }
        let load = bundle.features.load
        guard let duration = load.duration else {
            throw ONNXExportError("the bundle's feature pipeline loads whole files (no duration), so the model input has no static shape")
        }
        let samples = try AudioSignal.sampleCount(seconds: duration, sampleRate: load.sampleRate, op: "ONNX input shape")
        let silence = AudioSignal(samples: [Float](repeating: 0, count: samples), sampleRate: load.sampleRate)
        return try bundle.features.example(from: try load.fitted(silence)).shape
    }

    /// Writes `data` to `path` atomically; the error names the path.
    public static func write(_ data: Data, path: String) throws {
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw ONNXExportError("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// The scaler as the first nodes: `(x − mean) / scale`, broadcast as the scaler pools.
    private static func scaled(_ x: ONNXValue, _ scaler: StandardScaler, _ graph: ONNXGraphBuilder) -> ONNXValue {
        let shape = scaler.mode == .perPosition ? scaler.sampleShape : [scaler.mean.count, 1]
        let centered = graph.node("Sub", [x.name, graph.constant(scaler.mean, shape: shape, name: "scaler.mean")])
        let name = graph.node("Div", [centered, graph.constant(scaler.scale, shape: shape, name: "scaler.scale")])
        return ONNXValue(name: name, example: x.example, batchAxis: 0)   // the example only carries shapes
    }
}
