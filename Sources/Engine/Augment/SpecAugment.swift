import EngineFormats
import EngineTensor

/// SpecAugment masks on a row-major feature matrix `[rows × frames]` (e.g. mel bins × frames).
public struct SpecAugment: Sendable {
    /// Widest frequency mask, in rows: each mask's width is uniform in `0…maxRows`.
    public var maxRows: Int
    /// Widest time mask, in frames: each mask's width is uniform in `0…maxFrames`.
    public var maxFrames: Int
    /// How many masks of each kind.
    public var frequencyMasks: Int, timeMasks: Int
    /// Value written into masked cells (0, or the matrix mean for scaled features).
    public var value: Float
    public var seed: UInt64

    /// More masks of one kind than any matrix could need (10 000 masks already cover 10 000 frames).
    public static let mostMasks = 10_000

    /// Masks as in Park et al. 2019: `frequencyMasks` bands of up to `maxRows` rows and `timeMasks`
    /// bands of up to `maxFrames` frames, placed uniformly.
    public init(maxRows: Int, maxFrames: Int, frequencyMasks: Int = 1, timeMasks: Int = 1,
                value: Float = 0, seed: UInt64) throws {
        guard maxRows >= 0, maxFrames >= 0, frequencyMasks >= 0, timeMasks >= 0 else {
            throw DSPError("SpecAugment widths and counts must be ≥ 0")
        }
        // Each mask is a loop over the matrix: an absurd count would hang the run beyond Ctrl-C.
        guard max(frequencyMasks, timeMasks) <= Self.mostMasks else {
            throw DSPError("SpecAugment takes at most \(Self.mostMasks) masks of each kind, got \(frequencyMasks) frequency and \(timeMasks) time masks")
        }
        self.maxRows = maxRows; self.maxFrames = maxFrames
        self.frequencyMasks = frequencyMasks; self.timeMasks = timeMasks
        self.value = value; self.seed = seed
    }

    /// Applies the random masks of `copy` of `clip` to `matrix` in place.
    public func apply(to matrix: inout [Float], rows: Int, frames: Int, clip: Int, copy: Int = 0) throws {
        try SpecAugment.checkShape(matrix, rows: rows, frames: frames)
        let random = RandomGenerator(seed: seed, stream: [0xAA, UInt64(clip), UInt64(copy)])
        for _ in 0..<frequencyMasks {
            let width = random.int(0, min(maxRows, rows) + 1)
            let start = random.int(0, rows - width + 1)
            try SpecAugment.maskRows(&matrix, rows: rows, frames: frames, start: start, width: width, value: value)
        }
        for _ in 0..<timeMasks {
            let width = random.int(0, min(maxFrames, frames) + 1)
            let start = random.int(0, frames - width + 1)
            try SpecAugment.maskFrames(&matrix, rows: rows, frames: frames, start: start, width: width, value: value)
        }
    }

    /// Sets rows `start ..< start + width` (a frequency band) to `value`.
    public static func maskRows(_ matrix: inout [Float], rows: Int, frames: Int, start: Int, width: Int,
                                value: Float = 0) throws {
        try checkShape(matrix, rows: rows, frames: frames)
        try checkBand(start: start, width: width, size: rows, axis: "rows")
        matrix.withUnsafeMutableBufferPointer { m in
            for i in (start * frames)..<((start + width) * frames) { m[i] = value }
        }
    }

    /// Sets frames `start ..< start + width` (a time band) of every row to `value`.
    public static func maskFrames(_ matrix: inout [Float], rows: Int, frames: Int, start: Int, width: Int,
                                  value: Float = 0) throws {
        try checkShape(matrix, rows: rows, frames: frames)
        try checkBand(start: start, width: width, size: frames, axis: "frames")
        matrix.withUnsafeMutableBufferPointer { m in
            for row in 0..<rows {
                for t in start..<(start + width) { m[row * frames + t] = value }
            }
        }
    }

    private static func checkShape(_ matrix: [Float], rows: Int, frames: Int) throws {
        guard rows >= 0, frames >= 0, matrix.count == rows * frames else {
            throw DSPError("feature matrix has \(matrix.count) values, not \(rows) rows × \(frames) frames")
        }
    }

    private static func checkBand(start: Int, width: Int, size: Int, axis: String) throws {
        guard start >= 0, width >= 0, start + width <= size else {
            throw DSPError("mask of \(width) \(axis) at \(start) does not fit in \(size) \(axis)")
        }
    }
}
