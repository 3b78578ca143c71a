import EngineTensor
import EngineNN

/// Multi-head self-attention and transformer encoder layers, decomposed into MatMul, Softmax,
/// Reshape and Transpose (plus LayerNormalization, opset 17). Internally batch first `(B, L, E)`.
extension ONNXEmitter {
    func selfAttention(_ layer: MultiheadAttention, _ x: ONNXValue) throws -> ONNXValue {
        let (batchFirst, length) = try sequenceLayout(x, batchFirst: layer.batchFirst, width: layer.embedDim, owner: layer)
        let output = try attentionNodes(layer, batchFirst, length: length)
        return value(layer.batchFirst ? output : seqFirst(output), try layer(x.example), batchAxis: x.batchAxis)
    }

    /// A stack of encoder layers (`owner` is the layer or the encoder, for errors and the example).
    func transformerEncoder(_ layers: [TransformerEncoderLayer], owner: Module, _ x: ONNXValue) throws -> ONNXValue {
        guard let first = layers.first else { throw ONNXExportError(layer: owner, "holds no encoder layers") }
        let (batchFirst, length) = try sequenceLayout(x, batchFirst: first.selfAttention.batchFirst, width: first.selfAttention.embedDim,
                                                      owner: owner)
        var current = batchFirst
        for layer in layers {
            current = try encoderLayerNodes(layer, current, length: length)
        }
        return value(first.selfAttention.batchFirst ? current : seqFirst(current), try owner(x.example), batchAxis: x.batchAxis)
    }

    /// The input as a batch-first name, and the sequence length; checks the layout serscript would run.
    private func sequenceLayout(_ x: ONNXValue, batchFirst: Bool, width: Int, owner: Module) throws -> (String, Int) {
        let batchAxis = batchFirst ? 0 : 1
        guard x.rank == 3, x.batchAxis == batchAxis, x.shape[2] == width else {
            throw ONNXExportError(layer: owner, "expects a \(batchFirst ? "(B, L, \(width))" : "(L, B, \(width))") sequence, got \(x.shape)")
        }
        return (batchFirst ? x.name : seqFirst(x.name), x.shape[1 - batchAxis])
    }

    /// Swaps the first two dimensions (sequence-first ↔ batch-first).
    private func seqFirst(_ name: String) -> String {
        graph.node("Transpose", [name], attributes: [ONNXAttribute.ints("perm", [1, 0, 2])])
    }

    private func encoderLayerNodes(_ layer: TransformerEncoderLayer, _ x: String, length: Int) throws -> String {
        func feedForward(_ input: String) -> String {
            let inner = graph.node("Relu", [linearNodes(input, weight: layer.linear1.weight, bias: layer.linear1.bias)])
            return linearNodes(inner, weight: layer.linear2.weight, bias: layer.linear2.bias)
        }
        if layer.normFirst {
            let attended = graph.node("Add", [x, try attentionNodes(layer.selfAttention, layerNormNodes(layer.norm1, x), length: length)])
            return graph.node("Add", [attended, feedForward(layerNormNodes(layer.norm2, attended))])
        }
        let attended = layerNormNodes(layer.norm1, graph.node("Add", [x, try attentionNodes(layer.selfAttention, x, length: length)]))
        return layerNormNodes(layer.norm2, graph.node("Add", [attended, feedForward(attended)]))
    }

    /// Self-attention of a batch-first `(B, L, E)` value; returns the `(B, L, E)` output name.
    private func attentionNodes(_ layer: MultiheadAttention, _ x: String, length: Int) throws -> String {
        guard let packed = layer.inProjWeight else {
            throw ONNXExportError(layer: layer, "self-attention needs packed projections (kdim = vdim = embedDim)")
        }
        let (width, heads) = (layer.embedDim, layer.numHeads)
        let headWidth = width / heads
        let weights = packed.values, biases = layer.inProjBias?.values
        func projection(_ part: Int, perm: [Int]) throws -> String {
            let weight = try Tensor(shape: [width, width], values: Array(weights[part * width * width..<(part + 1) * width * width]))
            let bias = try biases.map { try Tensor(shape: [width], values: Array($0[part * width..<(part + 1) * width])) }
            let split = graph.node("Reshape", [linearNodes(x, weight: weight, bias: bias), graph.int64s([-1, length, heads, headWidth])])
            return graph.node("Transpose", [split], attributes: [ONNXAttribute.ints("perm", perm)])
        }
        let query = try projection(0, perm: [0, 2, 1, 3])            // (B, H, L, d)
        let key = try projection(1, perm: [0, 2, 3, 1])              // (B, H, d, L)
        let valueHeads = try projection(2, perm: [0, 2, 1, 3])       // (B, H, L, d)
        let scores = graph.node("Mul", [graph.node("MatMul", [query, key]),
                                        graph.constant([1 / Float(headWidth).squareRoot()], shape: [])])
        let probabilities = graph.node("Softmax", [scores], attributes: [ONNXAttribute.int("axis", -1)])
        let context = graph.node("Transpose", [graph.node("MatMul", [probabilities, valueHeads])],
                                 attributes: [ONNXAttribute.ints("perm", [0, 2, 1, 3])])
        let merged = graph.node("Reshape", [context, graph.int64s([-1, length, width])])
        return linearNodes(merged, weight: layer.outProj.weight, bias: layer.outProj.bias)
    }
}
