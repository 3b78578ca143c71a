import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// Standardisation fitted on training tensors only: `(x − mean) / scale`, with population standard
/// deviation and a scale of 1 where the data are constant (as sklearn's StandardScaler).
public struct StandardScaler: Sendable, Equatable {
    /// Which values share one mean and scale.
    public enum Mode: String, Sendable {
        /// One mean/scale per element position of the flattened sample tensor (sklearn on
        /// `x.reshape(n, -1)`, as the notebooks do).
        case perPosition = "per_position"
        /// One mean/scale per row (mel bin: the second-to-last axis), pooled over all frames, all
        /// leading axes and all samples.
        case perRow = "per_row"
    }

    /// The pooling mode.
    public let mode: Mode
    /// Shape of the samples the scaler was fitted on (and accepts).
    public let sampleShape: [Int]
    /// Means: one per position (`perPosition`) or per row (`perRow`).
    public let mean: [Float]
    /// Scales (standard deviations, 1 where constant), laid out as `mean`.
    public let scale: [Float]

    /// Fits on `samples`, which must all share one shape (at least 2-D for `perRow`).
    public init(fitting samples: [StoredTensor], mode: Mode) throws {
        guard let first = samples.first else { throw DataError("cannot fit a scaler on zero samples") }
        if let (index, odd) = samples.enumerated().first(where: { $0.element.shape != first.shape }) {
            throw DataError("scaler: sample \(index) has shape \(odd.shape) but sample 0 has \(first.shape)")
        }
        let (groups, rowLength) = try Self.layout(mode: mode, shape: first.shape)
        var sum = [Double](repeating: 0, count: groups)
        var sumSquares = [Double](repeating: 0, count: groups)
        for sample in samples { Self.accumulate(sample.values, mode: mode, rowLength: rowLength, groups: groups, into: &sum) }
        let perGroup = Double(samples.count * first.values.count / groups)
        let mean = sum.map { $0 / perGroup }
        // Second pass around the mean: exact for constant data and stable for large offsets (dB).
        for sample in samples {
            Self.accumulateSquares(sample.values, mean: mean, mode: mode, rowLength: rowLength, groups: groups, into: &sumSquares)
        }
        self.mode = mode
        self.sampleShape = first.shape
        self.mean = mean.map(Float.init)
        self.scale = zip(sumSquares, mean).map { squares, center in
            let deviation = (squares / perGroup).squareRoot()
            // Constant up to rounding (sklearn's "std 0 → 1").
            return deviation <= 10 * Double(Float.ulpOfOne) * max(1, abs(center)) ? 1 : Float(deviation)
        }
    }

    /// Rebuilds a scaler from its stored tensors (`mean`, `scale`) and metadata, as in checkpoints.
    public init(mode: Mode, sampleShape: [Int], mean: [Float], scale: [Float]) throws {
        let (groups, _) = try Self.layout(mode: mode, shape: sampleShape)
        guard mean.count == groups, scale.count == groups else {
            throw DataError("scaler (\(mode.rawValue), sample shape \(sampleShape)) needs \(groups) means and scales; "
                            + "got \(mean.count) and \(scale.count)")
        }
        self.mode = mode
        self.sampleShape = sampleShape
        self.mean = mean
        self.scale = scale
    }

    /// The standardised copy of `sample` (same shape as the fitted samples).
    public func transform(_ sample: StoredTensor) throws -> StoredTensor {
        guard sample.shape == sampleShape, sample.values.count == sample.shape.reduce(1, *) else {
            throw DataError("scaler fitted on shape \(sampleShape) cannot transform shape \(sample.shape)")
        }
        let rowLength = sampleShape.last ?? 1
        var values = sample.values
        values.withUnsafeMutableBufferPointer { out in
            mean.withUnsafeBufferPointer { center in
                scale.withUnsafeBufferPointer { spread in
                    switch mode {
                    case .perPosition:
                        for index in out.indices { out[index] = (out[index] - center[index]) / spread[index] }
                    case .perRow:
                        let groups = center.count
                        for index in out.indices {
                            let row = (index / rowLength) % groups
                            out[index] = (out[index] - center[row]) / spread[row]
                        }
                    }
                }
            }
        }
        return StoredTensor(shape: sample.shape, values: values)
    }

    /// Mean and scale as named tensors plus metadata, for checkpoints.
    public var stored: (tensors: [String: StoredTensor], metadata: [String: String]) {
        let shape = [mean.count]
        return (["mean": StoredTensor(shape: shape, values: mean), "scale": StoredTensor(shape: shape, values: scale)],
                ["mode": mode.rawValue, "sample_shape": JSONValue.array(sampleShape.map { .number(Double($0)) }).encoded()])
    }

    /// Adds `stored` to a safetensors file's contents as checkpoints and bundles keep it: tensors
    /// `scaler.mean` / `scaler.scale` and the metadata entry `scaler`.
    public func store(into tensors: inout [String: StoredTensor], metadata: inout [String: String]) {
        let stored = self.stored
        for (name, tensor) in stored.tensors { tensors["scaler." + name] = tensor }
        metadata["scaler"] = JSONValue.object(stored.metadata.mapValues(JSONValue.string)).encoded()
    }

    /// Rebuilds from `stored` output.
    public init(tensors: [String: StoredTensor], metadata: [String: String]) throws {
        guard let modeName = metadata["mode"], let mode = Mode(rawValue: modeName) else {
            throw DataError("scaler metadata lacks a valid mode (per_position or per_row)")
        }
        guard let shapeText = metadata["sample_shape"], let dims = try JSONValue.parse(shapeText).arrayValue?.compactMap(\.numberValue),
              dims.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < 1e12 }) else {
            throw DataError("scaler metadata lacks a valid sample_shape")
        }
        guard let mean = tensors["mean"], let scale = tensors["scale"] else { throw DataError("scaler needs tensors 'mean' and 'scale'") }
        try self.init(mode: mode, sampleShape: dims.map { Int($0) }, mean: mean.values, scale: scale.values)
    }

    /// Number of mean/scale groups and the row length for a sample shape.
    private static func layout(mode: Mode, shape: [Int]) throws -> (groups: Int, rowLength: Int) {
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }) else { throw DataError("scaler: sample shape \(shape) is empty") }
        switch mode {
        case .perPosition:
            try Dim.validate(shape, op: "scaler")   // the shape may come from a checkpoint's metadata
            return (shape.reduce(1, *), 1)
        case .perRow:
            guard shape.count >= 2 else { throw DataError("per-row scaling needs samples of at least 2 axes (bins × frames); got \(shape)") }
            return (shape[shape.count - 2], shape[shape.count - 1])
        }
    }

    private static func accumulate(_ values: [Float], mode: Mode, rowLength: Int, groups: Int, into sum: inout [Double]) {
        values.withUnsafeBufferPointer { input in
            sum.withUnsafeMutableBufferPointer { total in
                for index in input.indices {
                    total[mode == .perPosition ? index : (index / rowLength) % groups] += Double(input[index])
                }
            }
        }
    }

    private static func accumulateSquares(_ values: [Float], mean: [Double], mode: Mode, rowLength: Int, groups: Int,
                                          into sum: inout [Double]) {
        values.withUnsafeBufferPointer { input in
            mean.withUnsafeBufferPointer { center in
                sum.withUnsafeMutableBufferPointer { total in
                    for index in input.indices {
                        let group = mode == .perPosition ? index : (index / rowLength) % groups
                        let deviation = Double(input[index]) - center[group]
                        total[group] += deviation * deviation
                    }
                }
            }
        }
    }
}
