/// Splits a `bins × frames` feature matrix into windows of `window` frames every `stride` frames,
/// dropping windows that would run past the end (the notebooks' 128 × 563 → 7 × 128 × 128).
/// The result has shape `[chunks, bins, window]`.
public func chunkFrames(_ matrix: StoredTensor, window: Int, stride: Int) throws -> StoredTensor {
    guard matrix.shape.count == 2, matrix.values.count == matrix.shape.reduce(1, *) else {
        throw DataError("chunking needs a bins × frames matrix; got shape \(matrix.shape)")
    }
    let (bins, frames) = (matrix.shape[0], matrix.shape[1])
    guard window > 0, stride > 0 else { throw DataError("chunk window \(window) and stride \(stride) must be positive") }
    guard frames >= window else { throw DataError("a \(frames)-frame matrix is shorter than the \(window)-frame chunk window") }
    let chunks = (frames - window) / stride + 1
    var values = [Float](repeating: 0, count: chunks * bins * window)
    values.withUnsafeMutableBufferPointer { out in
        matrix.values.withUnsafeBufferPointer { input in
            for chunk in 0..<chunks {
                for bin in 0..<bins {
                    let source = bin * frames + chunk * stride
                    let target = (chunk * bins + bin) * window
                    for offset in 0..<window { out[target + offset] = input[source + offset] }
                }
            }
        }
    }
    return StoredTensor(shape: [chunks, bins, window], values: values)
}
