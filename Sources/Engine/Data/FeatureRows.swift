import EngineFormats
import EngineTensor
import EngineAudio

/// What scripts do to a feature set's stacked inputs — a tensor whose first axis indexes examples:
/// standardising every row, and SpecAugment copies of rows. The language's `Scaler.apply` and
/// `FeatureSet.augment` wrap these.
public enum FeatureRows {
    /// Each row (first axis) of `tensor` as a stored tensor.
    public static func rows(of tensor: Tensor) -> [StoredTensor] {
        let shape = Array(tensor.shape.dropFirst())
        let size = shape.reduce(1, *)
        return tensor.withUnsafeBufferPointer { values in
            (0..<(tensor.shape.first ?? 0)).map { row in StoredTensor(shape: shape, values: Array(values[row * size..<(row + 1) * size])) }
        }
    }

    /// `tensor` with every row standardised by `scaler`, which must have been fitted on rows of this shape.
    public static func scaled(_ tensor: Tensor, by scaler: StandardScaler) throws -> Tensor {
        guard Array(tensor.shape.dropFirst()) == scaler.sampleShape else {
            throw DataError("Scaler.apply: fitted on rows of shape \(scaler.sampleShape), given rows of shape \(Array(tensor.shape.dropFirst()))")
        }
        let output = try Tensor.uninitialized(tensor.shape)
        let size = scaler.sampleShape.reduce(1, *)
        let samples = rows(of: tensor)
        try output.withUnsafeMutableBufferPointer { out in
            for (index, sample) in samples.enumerated() {
                let scaled = try scaler.transform(sample)
                for offset in 0..<size { out[index * size + offset] = scaled.values[offset] }
            }
        }
        return output
    }

    /// One row of an augmented set: a copy of row `source`, masked when `mask` is given (with the
    /// clip and copy numbers its random draws are keyed by).
    public struct Copy {
        public var source: Int
        public var mask: (spec: SpecAugment, row: Int, copy: Int)?

        public init(source: Int, mask: (spec: SpecAugment, row: Int, copy: Int)? = nil) {
            self.source = source
            self.mask = mask
        }
    }

    /// The rows `copies` describe, built from `tensor` (rank ≥ 3): masks act on the last two axes
    /// (bins × frames) of every plane of a row.
    public static func specAugmented(_ tensor: Tensor, copies: [Copy]) throws -> Tensor {
        let (bins, frames) = (tensor.shape[tensor.rank - 2], tensor.shape[tensor.rank - 1])
        let count = tensor.shape.first ?? 0
        let size = tensor.count / max(count, 1), planes = size / max(bins * frames, 1)
        let output = try Tensor.uninitialized([copies.count] + Array(tensor.shape.dropFirst()))
        try tensor.withUnsafeBufferPointer { input in
            try output.withUnsafeMutableBufferPointer { out in
                for (index, copy) in copies.enumerated() {
                    var values = Array(input[copy.source * size..<(copy.source + 1) * size])
                    if let (spec, row, number) = copy.mask {
                        for plane in 0..<planes {
                            var matrix = Array(values[plane * bins * frames..<(plane + 1) * bins * frames])
                            try spec.apply(to: &matrix, rows: bins, frames: frames, clip: row * planes + plane, copy: number)
                            values.replaceSubrange(plane * bins * frames..<(plane + 1) * bins * frames, with: matrix)
                        }
                    }
                    for offset in 0..<size { out[index * size + offset] = values[offset] }
                }
            }
        }
        return output
    }
}
