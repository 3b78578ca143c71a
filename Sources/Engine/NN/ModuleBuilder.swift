import Foundation
import EngineFormats
import EngineTensor

extension ModuleDescription {
    /// A fresh module of this architecture. Its initial weights come from `generator` (a private one
    /// by default, so rebuilding a saved model does not move the global random stream); load the
    /// saved state dict into it afterwards. Throws naming the layer whose settings are invalid.
    public func build(generator: RandomGenerator = RandomGenerator(seed: 0)) throws -> Module {
        func pair(_ sizes: [Int], _ what: String) throws -> (Int, Int) {
            switch sizes.count {
            case 1: return (1, sizes[0])
            case 2: return (sizes[0], sizes[1])
            default: throw ModuleDescriptionError("\(what) must hold one or two sizes, got \(sizes)")
            }
        }
        func checkRank(_ rank: Int, _ sizes: [[Int]], _ layer: String) throws {
            guard rank == 1 || rank == 2, sizes.allSatisfy({ $0.count == rank }) else {
                throw ModuleDescriptionError("\(layer): rank \(rank) with sizes \(sizes) (rank 1 takes one size, rank 2 two)")
            }
        }
        switch self {
        case let .linear(inFeatures, outFeatures, bias):
            return try Linear(inFeatures, outFeatures, bias: bias, generator: generator)
        case let .conv(rank, inChannels, outChannels, kernel, stride, padding, dilation, groups, bias, paddingMode):
            try checkRank(rank, [kernel, stride, dilation], "conv")
            guard let mode = PaddingMode(rawValue: paddingMode) else { throw ModuleDescriptionError("conv: unknown padding mode '\(paddingMode)'") }
            let option: ConvPadding
            switch padding {
            case .same: option = .same
            case .valid: option = .valid
            case .explicit(let height, let width): option = .explicit(height: height, width: width)
            }
            if rank == 1 {
                return try Conv1d(inChannels, outChannels, kernelSize: kernel[0], stride: stride[0], padding: option, dilation: dilation[0],
                                  groups: groups, bias: bias, paddingMode: mode, generator: generator)
            }
            return try Conv2d(inChannels, outChannels, kernel: try pair(kernel, "kernel"), stride: try pair(stride, "stride"), padding: option,
                              dilation: try pair(dilation, "dilation"), groups: groups, bias: bias, paddingMode: mode, generator: generator)
        case let .pool(isMax, rank, kernel, stride, padding, dilation, ceilMode, countIncludePad):
            try checkRank(rank, [kernel, stride, padding, dilation], "pool")
            switch (isMax, rank) {
            case (true, 1):
                return try MaxPool1d(kernelSize: kernel[0], stride: stride[0], padding: padding[0], dilation: dilation[0], ceilMode: ceilMode)
            case (false, 1):
                return try AvgPool1d(kernelSize: kernel[0], stride: stride[0], padding: padding[0], ceilMode: ceilMode, countIncludePad: countIncludePad)
            case (true, _):
                return try MaxPool2d(kernel: try pair(kernel, "kernel"), stride: try pair(stride, "stride"), padding: try pair(padding, "padding"),
                                     dilation: try pair(dilation, "dilation"), ceilMode: ceilMode)
            case (false, _):
                return try AvgPool2d(kernel: try pair(kernel, "kernel"), stride: try pair(stride, "stride"), padding: try pair(padding, "padding"),
                                     ceilMode: ceilMode, countIncludePad: countIncludePad)
            }
        case let .adaptivePool(isMax, rank, outputSize):
            guard outputSize.count == rank, rank == 1 || rank == 2 else {
                throw ModuleDescriptionError("adaptivePool: rank \(rank) with output size \(outputSize)")
            }
            if rank == 1 {
                guard let width = outputSize[0] else { throw ModuleDescriptionError("adaptivePool: a 1-D output size cannot be nil") }
                return isMax ? try AdaptiveMaxPool1d(outputSize: width) : try AdaptiveAvgPool1d(outputSize: width)
            }
            let size = (outputSize[0], outputSize[1])
            return isMax ? try AdaptiveMaxPool2d(outputSize: size) : try AdaptiveAvgPool2d(outputSize: size)
        case let .batchNorm(rank, numFeatures, momentum, epsilon):
            guard rank == 1 || rank == 2 else { throw ModuleDescriptionError("batchNorm: rank must be 1 or 2, got \(rank)") }
            return rank == 1 ? try BatchNorm1d(numFeatures, momentum: momentum, epsilon: epsilon)
                             : try BatchNorm2d(numFeatures, momentum: momentum, epsilon: epsilon)
        case let .layerNorm(shape, epsilon, affine): return try LayerNorm(shape, epsilon: epsilon, elementwiseAffine: affine)
        case let .dropout(probability): return try Dropout(probability, generator: generator.fork())
        case let .flatten(startDim, endDim): return Flatten(startDim: startDim, endDim: endDim)
        case .relu: return ReLU()
        case let .activation(kind, slope):
            guard let known = ActivationLayer.Kind(rawValue: kind) else {
                throw ModuleDescriptionError("activation: unknown kind '\(kind)' (known: \(ActivationLayer.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return ActivationLayer(known, slope: slope)
        case let .softmax(dim): return SoftmaxLayer(dim: dim)
        case let .squeeze(dim): return Squeeze(dim)
        case let .unsqueeze(dim): return Unsqueeze(dim)
        case let .permute(dims): return Permute(dims)
        case let .reshape(shape): return Reshape(shape)
        case let .mean(dim): return MeanOverDim(dim)
        case .lastStep: return LastStep()
        case let .recurrent(cell, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, projSize):
            switch cell {
            case "lstm":
                return try LSTM(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias, batchFirst: batchFirst,
                                dropout: dropout, bidirectional: bidirectional, projSize: projSize, generator: generator)
            case "gru":
                return try GRU(inputSize: inputSize, hiddenSize: hiddenSize, numLayers: numLayers, bias: bias, batchFirst: batchFirst,
                               dropout: dropout, bidirectional: bidirectional, generator: generator)
            default: throw ModuleDescriptionError("recurrent: unknown cell '\(cell)' (lstm or gru)")
            }
        case let .attentionPooling(features): return try AttentionPooling(features: features, generator: generator)
        case let .multiheadAttention(embedDim, numHeads, dropout, bias, kdim, vdim, batchFirst):
            return try MultiheadAttention(embedDim: embedDim, numHeads: numHeads, dropout: dropout, bias: bias, kdim: kdim, vdim: vdim,
                                          batchFirst: batchFirst, generator: generator)
        case let .transformerEncoder(numLayers, dModel, numHeads, dimFeedforward, dropout, epsilon, batchFirst, normFirst):
            return try TransformerEncoder(numLayers: numLayers) {
                try TransformerEncoderLayer(dModel: dModel, numHeads: numHeads, dimFeedforward: dimFeedforward, dropout: dropout,
                                            layerNormEpsilon: epsilon, batchFirst: batchFirst, normFirst: normFirst, generator: generator)
            }
        case let .timeDistributed(module): return TimeDistributed(try module.build(generator: generator))
        case let .sequential(layers): return Sequential(try layers.map { try $0.build(generator: generator) })
        case let .parallel(branches, dim): return Parallel(try branches.map { try $0.build(generator: generator) }, dim: dim)
        case let .residual(module): return Residual(try module.build(generator: generator))
        case let .ensemble(members): return Ensemble(try members.map { try $0.build(generator: generator) })
        case let .notebook(name, classes):
            switch name {
            case "ParallelCNNTransformer": return try ParallelCNNTransformer(numEmotions: classes, generator: generator)
            case "ParallelCNNAttentionLSTM": return try ParallelCNNAttentionLSTM(numEmotions: classes, generator: generator)
            case "StackedCNNLSTM": return try StackedCNNLSTM(numEmotions: classes, generator: generator)
            case "StackedCNNAttentionLSTM": return try StackedCNNAttentionLSTM(numEmotions: classes, generator: generator)
            default: throw ModuleDescriptionError("notebook: unknown model '\(name)'")
            }
        }
    }

    /// The description as compact JSON text (keys sorted, so equal architectures give equal text).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Parses `json()`'s text; a malformed description names the place and the field at fault.
    public init(json text: String) throws {
        do { self = try JSONDecoder().decode(ModuleDescription.self, from: Data(text.utf8)) } catch let error as DecodingError {
            throw ModuleDescriptionError(Self.explain(error))
        } catch {
            throw ModuleDescriptionError("not valid JSON: \(error)")
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func place(_ path: [CodingKey]) -> String {
            let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
        }
        switch error {
        case .keyNotFound(let key, let context): return "at \(place(context.codingPath)): missing '\(key.stringValue)'"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "at \(place(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// An architecture description that cannot be read or built; says which layer and which setting.
public struct ModuleDescriptionError: Error, CustomStringConvertible, Equatable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "architecture: \(reason)" }
}
