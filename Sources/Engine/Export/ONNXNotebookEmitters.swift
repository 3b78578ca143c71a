import EngineNN

/// The four notebook models, whose forward passes are code rather than containers: each is
/// re-told here with the same sub-modules and tensor steps.
extension ONNXEmitter {
    func notebookModel(_ model: NotebookModel, _ x: ONNXValue) throws -> ONNXValue {
        switch model {
        case let model as ParallelCNNTransformer:
            let conv = try flatten(try emit(model.conv2Dblock, x), startDim: 1)
            let reduced = try permute(try squeeze(try emit(model.transfMaxpool, x), dim: 1), [2, 0, 1])
            let encoded = try mean(try emit(model.transfEncoder, reduced), dim: 0)
            return try linear(try concat([conv, encoded], dim: 1), model.outLinear)
        case let model as ParallelCNNAttentionLSTM:
            let conv = try flatten(try emit(model.conv2Dblock, x), startDim: 1)
            let reduced = try permute(try squeeze(try emit(model.lstmMaxpool, x), dim: 1), [0, 2, 1])
            let pooled = try attentionPool(try emit(model.lstm, reduced), score: model.attentionLinear)
            return try linear(try concat([conv, pooled], dim: 1), model.outLinear)
        case let model as StackedCNNLSTM:
            let sequence = try emit(model.lstm, try flatten(try emit(model.conv2Dblock, x), startDim: 2))
            return try linear(try select(sequence, dim: 1, index: sequence.shape[1] - 1), model.outLinear)
        case let model as StackedCNNAttentionLSTM:
            let sequence = try emit(model.lstm, try flatten(try emit(model.conv2Dblock, x), startDim: 2))
            return try linear(try attentionPool(sequence, score: model.attentionLinear), model.outLinear)
        default:
            throw ONNXExportError(layer: model, "\(model.typeDescription) has no ONNX export")
        }
    }
}
