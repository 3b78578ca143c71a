import EngineNN

/// Turns a module tree into ONNX nodes, layer by layer: `emit(module, x)` adds the nodes computing
/// `module(x)` and returns their output. Layers without an ONNX form are refused by name.
final class ONNXEmitter {
    let graph = ONNXGraphBuilder()

    func emit(_ module: Module, _ x: ONNXValue) throws -> ONNXValue {
        switch module {
        case let layer as Sequential:
            return try layer.namedChildren.reduce(x) { value, child in try emit(child.module, value) }
        case let layer as Parallel:
            return try concat(layer.namedChildren.map { try emit($0.module, x) }, dim: layer.dim)
        case let layer as Residual:
            let inner = try emit(layer.module, x)
            return value(graph.node("Add", [x.name, inner.name]), try layer(x.example), batchAxis: x.batchAxis)
        case let layer as Ensemble: return try ensemble(layer, x)
        case let layer as TimeDistributed: return try timeDistributed(layer, x)
        case let layer as Linear: return try linear(x, layer)
        case let layer as ConvolutionLayer: return try convolution(layer, x)
        case let layer as PoolingLayer: return try pooling(layer, x)
        case let layer as AdaptivePoolingLayer: return try adaptivePooling(layer, x)
        case let layer as BatchNormLayer: return try batchNorm(layer, x)
        case let layer as LayerNorm: return try layerNorm(layer, x)
        case is Dropout: return x                       // identity at inference
        case let layer as Flatten: return try flatten(x, startDim: layer.startDim, endDim: layer.endDim)
        case is ReLU: return value(graph.node("Relu", [x.name]), x.example.relu(), batchAxis: x.batchAxis)
        case let layer as ActivationLayer: return try activation(layer, x)
        case let layer as SoftmaxLayer: return try softmax(x, dim: layer.dim)
        case let layer as Squeeze: return try squeeze(x, dim: layer.dim)
        case let layer as Unsqueeze: return try unsqueeze(x, dim: layer.dim)
        case let layer as Permute: return try permute(x, layer.dims)
        case let layer as Reshape:
            // The user's literal shape: a −1 in it keeps the batch free.
            let name = graph.node("Reshape", [x.name, graph.int64s(layer.shape)])
            return value(name, try layer(x.example), batchAxis: 0)
        case let layer as MeanOverDim: return try mean(x, dim: layer.dim)
        case is LastStep: return try select(x, dim: 1, index: x.shape[1] - 1)
        case let layer as RecurrentNetwork: return try recurrent(layer, x)
        case let layer as AttentionPooling: return try attentionPool(x, score: layer.score)
        case let layer as MultiheadAttention: return try selfAttention(layer, x)
        case let layer as TransformerEncoderLayer: return try transformerEncoder([layer], owner: layer, x)
        case let layer as TransformerEncoder:
            return try transformerEncoder(layer.layers.modules.compactMap { $0 as? TransformerEncoderLayer }, owner: layer, x)
        case let model as NotebookModel: return try notebookModel(model, x)
        default:
            throw ONNXExportError(layer: module, "\(module.typeDescription) has no ONNX export")
        }
    }

    /// The log of the members' mean softmax, as `Ensemble.forward`.
    private func ensemble(_ layer: Ensemble, _ x: ONNXValue) throws -> ONNXValue {
        guard !layer.namedChildren.isEmpty else { throw ONNXExportError(layer: layer, "an ensemble needs at least one member") }
        let probabilities = try layer.namedChildren.map { try softmax(try emit($0.module, x), dim: -1).name }
        let sum = probabilities.count == 1 ? probabilities[0] : graph.node("Sum", probabilities)
        let averaged = graph.node("Mul", [sum, graph.constant([1 / Float(probabilities.count)], shape: [])])
        return value(graph.node("Log", [averaged]), try layer(x.example), batchAxis: x.batchAxis)
    }

    /// `(B, T, …)` folded to `(B·T, …)`, the module, and unfolded.
    private func timeDistributed(_ layer: TimeDistributed, _ x: ONNXValue) throws -> ONNXValue {
        guard x.rank >= 3, x.batchAxis == 0 else {
            throw ONNXExportError(layer: layer, "expects a batch-first (B, T, …) input, got \(x.shape)")
        }
        let folded = try flatten(x, startDim: 0, endDim: 1)
        let inner = try emit(layer.module, folded)
        return reshape(inner, to: try layer(x.example), batchAxis: 0)
    }
}
