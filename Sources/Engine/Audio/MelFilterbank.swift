/// Normalisation of mel filters.
public enum MelNorm: String, Sendable {
    /// Each triangle scaled by `2 / (upper − lower edge in Hz)`: roughly constant energy per band.
    case slaney
    /// Triangles of peak 1.
    case none
}

/// Parameters of a mel filterbank, with librosa.filters.mel's defaults.
public struct MelOptions: Equatable, Sendable {
    /// Number of mel bands.
    public var nMels: Int
    /// Lowest frequency in Hz.
    public var fmin: Double
    /// Highest frequency in Hz; nil means `sampleRate / 2`.
    public var fmax: Double?
    /// HTK's mel formula instead of Slaney's.
    public var htk: Bool
    /// Filter normalisation.
    public var norm: MelNorm

    public init(nMels: Int = 128, fmin: Double = 0, fmax: Double? = nil, htk: Bool = false, norm: MelNorm = .slaney) {
        self.nMels = nMels
        self.fmin = fmin
        self.fmax = fmax
        self.htk = htk
        self.norm = norm
    }
}

/// Triangular mel filters over the `nFFT / 2 + 1` bins of an FFT (librosa.filters.mel). Each filter
/// is kept with the bin range where it is non-zero, so applying it costs only its support.
public struct MelFilterbank: Sendable {
    /// The filters as an `nMels × bins` matrix.
    public let weights: FeatureMatrix
    /// Filter `m` is non-zero on bins `firstBin[m] ..< firstBin[m] + binCount[m]`; its weights there
    /// are `packed[packedStart[m] ..< packedStart[m] + binCount[m]]`.
    private let firstBin: [Int], binCount: [Int], packedStart: [Int]
    private let packed: [Float]

    /// Builds the filterbank for `sampleRate` Hz and `nFFT`; throws on a bad parameter.
    public init(sampleRate: Double, nFFT: Int, options: MelOptions = MelOptions()) throws {
        guard sampleRate > 0 else { throw AudioParameterError("mel", "sr must be positive, got \(sampleRate)") }
        guard nFFT >= 1 else { throw AudioParameterError("mel", "n_fft must be at least 1, got \(nFFT)") }
        guard options.nMels >= 1 else { throw AudioParameterError("mel", "n_mels must be at least 1, got \(options.nMels)") }
        let fmax = options.fmax ?? sampleRate / 2
        guard options.fmin >= 0, fmax > options.fmin else {
            throw AudioParameterError("mel", "need 0 ≤ fmin < fmax, got fmin=\(options.fmin), fmax=\(fmax)")
        }
        let bins = nFFT / 2 + 1
        let edges = MelScale.frequencies(count: options.nMels + 2, fmin: options.fmin, fmax: fmax, htk: options.htk)
        var matrix = FeatureMatrix(zerosRows: options.nMels, columns: bins)
        var support: [Range<Int>] = []
        let binSpacing = 1 / (Double(nFFT) * (1 / sampleRate))   // numpy.fft.rfftfreq's arithmetic
        for m in 0..<options.nMels {
            let (lower, centre, upper) = (edges[m], edges[m + 1], edges[m + 2])
            let scale = options.norm == .slaney ? 2 / (upper - lower) : 1
            var first = bins, last = -1
            for f in 0..<bins {
                let hz = Double(f) * binSpacing
                let rising = (hz - lower) / (centre - lower)
                let falling = (upper - hz) / (upper - centre)
                let weight = max(0, min(rising, falling))
                guard weight > 0 else { continue }
                // librosa stores the triangle in float32, then scales it in float64.
                matrix.values[m * bins + f] = Float(Double(Float(weight)) * scale)
                first = min(first, f)
                last = f
            }
            support.append(last >= first ? first..<last + 1 : 0..<0)
        }
        weights = matrix
        firstBin = support.map(\.lowerBound)
        binCount = support.map(\.count)
        packedStart = support.indices.map { m in support[..<m].reduce(0) { $0 + $1.count } }
        packed = support.indices.flatMap { m in support[m].map { matrix.values[m * bins + $0] } }
    }

    /// Number of mel bands.
    public var nMels: Int { weights.rows }
    /// Number of FFT bins each filter spans.
    public var bins: Int { weights.columns }

    /// Mel energies of a block of frames. `block` holds the spectra bin-major with row stride
    /// `stride` (bin `f` of the block's frame `k` at `block[f · stride + k]`); the `width` results of
    /// filter `m` go to `out[m · outStride + k]`. Looping over the frames innermost lets each filter
    /// tap run as one vectorised multiply-add across the block.
    func apply(block: UnsafePointer<Float>, stride: Int, width: Int,
               into out: UnsafeMutablePointer<Float>, outStride: Int) {
        packed.withUnsafeBufferPointer { w in
            for m in 0..<firstBin.count {
                let row = out + m * outStride
                row.update(repeating: 0, count: width)
                for j in 0..<binCount[m] {
                    let weight = w[packedStart[m] + j]
                    let spectrum = block + (firstBin[m] + j) * stride
                    for k in 0..<width { row[k] += weight * spectrum[k] }
                }
            }
        }
    }
}
