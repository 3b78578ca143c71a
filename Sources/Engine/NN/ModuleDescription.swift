import EngineFormats
import EngineTensor

/// A model's architecture as data: every layer type with the settings that rebuild it, nested as
/// the model is, so a saved model can be rebuilt without the script (or code) that made it.
///
/// Encoded as JSON with one key per layer type, e.g. `{"linear": {"inFeatures": 320, "outFeatures": 8,
/// "bias": true}}`, `{"sequential": {"layers": […]}}`. `describe(_:)` makes one from a module,
/// `build()` (ModuleBuilder.swift) makes a fresh module from one; the weights travel separately as a
/// state dict whose keys the rebuilt module shares with the original.
public indirect enum ModuleDescription: Codable, Equatable, Sendable {
    case linear(inFeatures: Int, outFeatures: Int, bias: Bool)
    /// `rank` 1 (`Conv1d`, sizes given as `[width]`) or 2 (`Conv2d`, `[height, width]`).
    case conv(rank: Int, inChannels: Int, outChannels: Int, kernel: [Int], stride: [Int], padding: PaddingDescription,
              dilation: [Int], groups: Int, bias: Bool, paddingMode: String)
    /// `max` or average pooling of `rank` 1 or 2; sizes as for `conv`.
    case pool(max: Bool, rank: Int, kernel: [Int], stride: [Int], padding: [Int], dilation: [Int], ceilMode: Bool,
              countIncludePad: Bool)
    /// Adaptive pooling to `outputSize` (`[width]` or `[height, width]`; nil keeps that axis).
    case adaptivePool(max: Bool, rank: Int, outputSize: [Int?])
    case batchNorm(rank: Int, numFeatures: Int, momentum: Float, epsilon: Float)
    case layerNorm(normalizedShape: [Int], epsilon: Float, elementwiseAffine: Bool)
    case dropout(probability: Float)
    case flatten(startDim: Int, endDim: Int)
    case relu
    /// `ActivationLayer.Kind` by its raw name (`GELU`, `LeakyReLU`, …).
    case activation(kind: String, slope: Float)
    case softmax(dim: Int)
    case squeeze(dim: Int)
    case unsqueeze(dim: Int)
    case permute(dims: [Int])
    case reshape(shape: [Int])
    case mean(dim: Int)
    case lastStep
    /// `cell` is `lstm` or `gru`.
    case recurrent(cell: String, inputSize: Int, hiddenSize: Int, numLayers: Int, bias: Bool, batchFirst: Bool,
                   dropout: Float, bidirectional: Bool, projSize: Int)
    case attentionPooling(features: Int)
    case multiheadAttention(embedDim: Int, numHeads: Int, dropout: Float, bias: Bool, kdim: Int, vdim: Int, batchFirst: Bool)
    /// `numLayers` identical `TransformerEncoderLayer`s.
    case transformerEncoder(numLayers: Int, dModel: Int, numHeads: Int, dimFeedforward: Int, dropout: Float,
                            layerNormEpsilon: Float, batchFirst: Bool, normFirst: Bool)
    case timeDistributed(module: ModuleDescription)
    case sequential(layers: [ModuleDescription])
    case parallel(branches: [ModuleDescription], dim: Int)
    case residual(module: ModuleDescription)
    case ensemble(members: [ModuleDescription])
    /// One of the four notebook models by class name (`ParallelCNNTransformer`, …).
    case notebook(name: String, classes: Int)

    /// A convolution's `padding`: `same`, `valid` or explicit `[height, width]` (1-D: `[0, width]`).
    public enum PaddingDescription: Codable, Equatable, Sendable {
        case same, valid
        case explicit(height: Int, width: Int)
    }

    /// The description of `module`'s whole tree; throws naming the layer that has no description
    /// (a module type defined outside the Engine, or a transformer whose layers differ).
    public static func describe(_ module: Module) throws -> ModuleDescription {
        func sizes(_ pair: (height: Int, width: Int), rank: Int) -> [Int] { rank == 1 ? [pair.width] : [pair.height, pair.width] }
        func unsupported(_ why: String) -> LayerError { LayerError(layer: module, reason: why) }
        switch module {
        case let layer as Linear:
            return .linear(inFeatures: layer.inFeatures, outFeatures: layer.outFeatures, bias: layer.bias != nil)
        case let layer as ConvolutionLayer:
            let rank = layer is Conv1d ? 1 : 2
            let padding: PaddingDescription
            switch layer.paddingOption {
            case .same: padding = .same
            case .valid: padding = .valid
            case .explicit(let height, let width): padding = .explicit(height: height, width: width)
            }
            return .conv(rank: rank, inChannels: layer.inChannels, outChannels: layer.outChannels, kernel: sizes(layer.kernel, rank: rank),
                         stride: sizes(layer.stride, rank: rank), padding: padding, dilation: sizes(layer.dilation, rank: rank),
                         groups: layer.groups, bias: layer.bias != nil, paddingMode: layer.paddingMode.rawValue)
        case let layer as PoolingLayer:
            let rank = layer is MaxPool1d || layer is AvgPool1d ? 1 : 2
            return .pool(max: layer is MaxPool1d || layer is MaxPool2d, rank: rank, kernel: sizes(layer.kernel, rank: rank),
                         stride: sizes(layer.stride, rank: rank), padding: sizes(layer.padding, rank: rank),
                         dilation: sizes(layer.dilation, rank: rank), ceilMode: layer.ceilMode, countIncludePad: layer.countIncludePad)
        case let layer as AdaptivePoolingLayer:
            let rank = layer is AdaptiveAvgPool1d || layer is AdaptiveMaxPool1d ? 1 : 2
            return .adaptivePool(max: layer is AdaptiveMaxPool1d || layer is AdaptiveMaxPool2d, rank: rank,
                                 outputSize: rank == 1 ? [layer.outputSize.width] : [layer.outputSize.height, layer.outputSize.width])
        case let layer as BatchNormLayer:
            return .batchNorm(rank: layer is BatchNorm1d ? 1 : 2, numFeatures: layer.numFeatures, momentum: layer.momentum, epsilon: layer.epsilon)
        case let layer as LayerNorm:
            return .layerNorm(normalizedShape: layer.normalizedShape, epsilon: layer.epsilon, elementwiseAffine: layer.weight != nil)
        case let layer as Dropout: return .dropout(probability: layer.probability)
        case let layer as Flatten: return .flatten(startDim: layer.startDim, endDim: layer.endDim)
        case is ReLU: return .relu
        case let layer as ActivationLayer: return .activation(kind: layer.kind.rawValue, slope: layer.slope)
        case let layer as SoftmaxLayer: return .softmax(dim: layer.dim)
        case let layer as Squeeze: return .squeeze(dim: layer.dim)
        case let layer as Unsqueeze: return .unsqueeze(dim: layer.dim)
        case let layer as Permute: return .permute(dims: layer.dims)
        case let layer as Reshape: return .reshape(shape: layer.shape)
        case let layer as MeanOverDim: return .mean(dim: layer.dim)
        case is LastStep: return .lastStep
        case let layer as RecurrentNetwork:
            return .recurrent(cell: layer is GRU ? "gru" : "lstm", inputSize: layer.inputSize, hiddenSize: layer.hiddenSize,
                              numLayers: layer.numLayers, bias: layer.namedParameters().contains { $0.name == "bias_ih_l0" },
                              batchFirst: layer.batchFirst, dropout: layer.interLayerDropout.probability,
                              bidirectional: layer.bidirectional, projSize: layer.projSize)
        case let layer as AttentionPooling: return .attentionPooling(features: layer.score.inFeatures)
        case let layer as MultiheadAttention:
            return .multiheadAttention(embedDim: layer.embedDim, numHeads: layer.numHeads, dropout: layer.dropout, bias: layer.inProjBias != nil,
                                       kdim: layer.kdim, vdim: layer.vdim, batchFirst: layer.batchFirst)
        case let encoder as TransformerEncoder:
            let layers = try encoder.layers.modules.map { child -> ModuleDescription in
                guard let layer = child as? TransformerEncoderLayer else { throw unsupported("holds a \(child.typeDescription), not encoder layers") }
                let attention = layer.selfAttention
                return .transformerEncoder(numLayers: 1, dModel: attention.embedDim, numHeads: attention.numHeads,
                                           dimFeedforward: layer.linear1.outFeatures, dropout: layer.dropout.probability,
                                           layerNormEpsilon: layer.norm1.epsilon, batchFirst: attention.batchFirst, normFirst: layer.normFirst)
            }
            guard let first = layers.first, layers.allSatisfy({ $0 == first }),
                  case let .transformerEncoder(_, model, heads, ff, rate, epsilon, batchFirst, normFirst) = first else {
                throw unsupported("its layers differ in their settings; only identical layers can be described")
            }
            return .transformerEncoder(numLayers: layers.count, dModel: model, numHeads: heads, dimFeedforward: ff, dropout: rate,
                                       layerNormEpsilon: epsilon, batchFirst: batchFirst, normFirst: normFirst)
        case let layer as TimeDistributed: return .timeDistributed(module: try describe(layer.module))
        case let layer as Sequential: return .sequential(layers: try layer.namedChildren.map { try describe($0.module) })
        case let layer as Parallel: return .parallel(branches: try layer.namedChildren.map { try describe($0.module) }, dim: layer.dim)
        case let layer as Residual: return .residual(module: try describe(layer.module))
        case let layer as Ensemble: return .ensemble(members: try layer.namedChildren.map { try describe($0.module) })
        case let model as NotebookModel:
            guard let head = model.namedModules().last(where: { $0.module is Linear })?.module as? Linear else {
                throw unsupported("has no linear output layer to count its classes")
            }
            return .notebook(name: String(describing: type(of: model)), classes: head.outFeatures)
        default:
            throw unsupported("\(module.typeDescription) has no architecture description, so it cannot be saved in a model bundle")
        }
    }
}
