import EngineFormats
import EngineTensor

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
        try Dim.validateCount(Double(options.nMels) * Double(bins), op: "mel", of: "a filterbank of n_mels=\(options.nMels) × \(bins) bins")
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

    /// Frames per block in `apply`: a block of 16 spectra and its powers stays in L2 for n_fft ≤ 4096,
    /// and 16 lanes are four SSE or two AVX registers of accumulators.
    static let blockWidth = 16

    /// Mel energies of a block of frames. `block` holds the spectra bin-major with row stride
    /// `blockWidth` (bin `f` of the block's frame `k` at `block[f · blockWidth + k]`); the `width`
    /// results of filter `m` go to `out[m · outStride + k]`. Each filter's taps are summed across the
    /// block in registers and stored once.
    package func apply(block: UnsafePointer<Float>, width: Int, into out: UnsafeMutablePointer<Float>, outStride: Int) {
        let stride = Self.blockWidth
        packed.withUnsafeBufferPointer { w in
            for m in 0..<firstBin.count {
                let row = out + m * outStride
                let taps = packedStart[m]..<packedStart[m] + binCount[m]
                var spectrum = block + firstBin[m] * stride
                if width == stride {
                    var sum = SIMD16<Float>(repeating: 0)
                    for j in taps {
                        sum += w[j] * UnsafeRawPointer(spectrum).loadUnaligned(as: SIMD16<Float>.self)
                        spectrum += stride
                    }
                    UnsafeMutableRawPointer(row).storeBytes(of: sum, as: SIMD16<Float>.self)
                } else {
                    row.update(repeating: 0, count: width)
                    for j in taps {
                        for k in 0..<width { row[k] += w[j] * spectrum[k] }
                        spectrum += stride
                    }
                }
            }
        }
    }
}
