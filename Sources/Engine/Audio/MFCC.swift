import Foundation
import EngineFormats
import EngineTensor

/// Parameters of librosa.feature.mfcc, with its defaults (20 coefficients, DCT-II orthonormal
/// over `power_to_db` of a Slaney-normalised mel power spectrogram, no liftering).
public struct MFCCOptions: Equatable, Sendable {
    /// Coefficients kept.
    public var nMFCC: Int
    /// Cepstral liftering factor; 0 disables it.
    public var lifter: Float
    /// The mel spectrogram underneath.
    public var mel: MelSpectrogramOptions

    public init(nMFCC: Int = 20, lifter: Float = 0, mel: MelSpectrogramOptions = MelSpectrogramOptions()) {
        self.nMFCC = nMFCC
        self.lifter = lifter
        self.mel = mel
    }

    /// The notebooks' utterance features: 40 coefficients with n_fft 4096 and hop 256 (at 22050 Hz).
    public static let notebook = MFCCOptions(nMFCC: 40, mel: MelSpectrogramOptions(nFFT: 4096, hopLength: 256))
}

extension AudioSignal {
    /// MFCCs (librosa.feature.mfcc): nMFCC × frames.
    public func mfcc(_ options: MFCCOptions = MFCCOptions()) throws -> FeatureMatrix {
        try melspectrogram(options.mel).powerToDb().mfcc(nMFCC: options.nMFCC, lifter: options.lifter)
    }
}

extension FeatureMatrix {
    /// MFCCs from a log-power (dB) mel spectrogram: the first `nMFCC` rows of its orthonormal DCT-II
    /// along the mel axis, optionally liftered by `1 + (lifter / 2) · sin(π (k + 1) / lifter)`.
    public func mfcc(nMFCC: Int = 20, lifter: Float = 0) throws -> FeatureMatrix {
        guard (1...rows).contains(nMFCC) else {
            throw AudioParameterError("mfcc", "n_mfcc must be in 1...\(rows) (the mel bands), got \(nMFCC)")
        }
        guard lifter >= 0 else { throw AudioParameterError("mfcc", "lifter must be non-negative, got \(lifter)") }
        let basis = Self.dctBasis(count: nMFCC, length: rows)
        var out = FeatureMatrix(zerosRows: nMFCC, columns: columns)
        guard columns > 0 else { return out }
        basis.withUnsafeBufferPointer { b in
            values.withUnsafeBufferPointer { s in
                out.values.withUnsafeMutableBufferPointer { o in
                    guard let bp = b.baseAddress, let sp = s.baseAddress, let op = o.baseAddress else { return }
                    BLAS.sgemm(m: nMFCC, n: columns, k: rows, a: bp, lda: rows, b: sp, ldb: columns, c: op, ldc: columns)
                }
            }
        }
        if lifter > 0 {
            for k in 0..<nMFCC {
                let gain = 1 + (lifter / 2) * sin(Float.pi * Float(k + 1) / lifter)
                for t in 0..<columns { out.values[k * columns + t] *= gain }
            }
        }
        return out
    }

    private static let bases = SharedCache<[Int], [Float]>()

    /// Rows of the orthonormal DCT-II matrix: `c_k · cos(π k (2n + 1) / 2N)`, `c_0 = √(1/N)`, else `√(2/N)`.
    /// Built once per shape: computing its cosines cost more than the DCT itself.
    private static func dctBasis(count: Int, length n: Int) -> [Float] {
        bases.value(for: [count, n]) {
            var basis = [Float](repeating: 0, count: count * n)
            for k in 0..<count {
                let scale = (k == 0 ? 1.0 : 2.0) / Double(n)
                for i in 0..<n {
                    basis[k * n + i] = Float(scale.squareRoot() * cos(Double.pi * Double(k * (2 * i + 1)) / Double(2 * n)))
                }
            }
            return basis
        }
    }
}
