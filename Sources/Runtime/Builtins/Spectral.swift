import Engine
import Foundation

/// A feature matrix (`FeatureMatrix`: rows = bins or coefficients, columns = frames) as a script
/// value, remembering the frame rate for plots.
public final class SpectrogramValue: ScriptObject {
    public let matrix: FeatureMatrix
    /// Seconds between frames, when known (hop / sr).
    public let secondsPerFrame: Double?
    /// What the rows are, for plot labels ("mel bin", "MFCC", …).
    public let rowName: String
    /// Whether the values are decibels.
    public let isDecibels: Bool

    public init(_ matrix: FeatureMatrix, secondsPerFrame: Double?, rowName: String = "bin", isDecibels: Bool = false) {
        self.matrix = matrix
        self.secondsPerFrame = secondsPerFrame
        self.rowName = rowName
        self.isDecibels = isDecibels
    }

    /// The same metadata around new values.
    func with(_ matrix: FeatureMatrix, isDecibels: Bool? = nil, rowName: String? = nil) -> SpectrogramValue {
        SpectrogramValue(matrix, secondsPerFrame: secondsPerFrame, rowName: rowName ?? self.rowName, isDecibels: isDecibels ?? self.isDecibels)
    }

    public var typeName: String { "Spectrogram" }
    /// `Spectrogram(128 × 563)`
    public var summary: String { "Spectrogram(\(matrix.rows) × \(matrix.columns))" }
    /// Shape and value range.
    public var details: String {
        let low = matrix.values.min() ?? 0, high = matrix.values.max() ?? 0
        let mean = matrix.values.isEmpty ? 0 : matrix.values.reduce(0.0) { $0 + Double($1) } / Double(matrix.values.count)
        return summary + String(format: "  %@ × frames  min %.4g  max %.4g  mean %.4g%@", rowName, low, high, mean, isDecibels ? " dB" : "")
    }
}

extension BuiltinRegistry {
    /// librosa's spectral features, each a builtin taking an Audio value (its rate is the `sr`).
    func registerSpectral() {
        domain = "Audio"
        function("stft", [Parameter("y")] + SpectralParameters.stft() + [Parameter("power", 1.0)],
                 doc: "The magnitude of librosa.stft (what `np.abs(librosa.stft(y))` gives; `power: 2` for power) as a Spectrogram of 1 + n_fft/2 bins × frames. hop_length defaults to win_length // 4.") { a in
            let (signal, options) = (try audio(a), try SpectralParameters.stftOptions(a))
            let seconds = Double(options.resolvedHopLength) / Double(signal.sampleRate)
            return .object(SpectrogramValue(try signal.spectrogram(options, power: Float(try a.double("power"))), secondsPerFrame: seconds, rowName: "frequency bin"))
        }
        function("melspectrogram", [Parameter("y")] + SpectralParameters.stft(hop: 512) + [Parameter("power", 2.0)] + SpectralParameters.mel,
                 doc: "librosa.feature.melspectrogram of an Audio value with librosa's defaults (n_fft 2048, hop_length 512, hann, power 2, 128 Slaney mels up to sr/2): n_mels × frames.") { a in
            let (signal, options) = (try audio(a), try SpectralParameters.melOptions(a, power: Float(try a.double("power"))))
            return .object(SpectrogramValue(try signal.melspectrogram(options), secondsPerFrame: Double(options.stft.resolvedHopLength) / Double(signal.sampleRate), rowName: "mel bin"))
        }
        function("power_to_db", [Parameter("S"), Parameter("ref", 1.0), Parameter("amin", 1e-10), Parameter("top_db", 80.0)],
                 doc: "librosa.power_to_db: 10·log10(S / ref) with values below `amin` clipped and, unless `top_db` is nil, everything more than `top_db` dB under the peak raised to it. `ref: \"max\"` is the notebooks' `ref=np.max`.") { a in
            let spectrogram = try a.object("S", as: SpectrogramValue.self, named: "Spectrogram")
            let db = try spectrogram.matrix.powerToDb(ref: try reference(a), amin: Float(try a.double("amin")), topDb: try a.optionalDouble("top_db").map(Float.init))
            return .object(spectrogram.with(db, isDecibels: true))
        }
        function("amplitude_to_db", [Parameter("S"), Parameter("ref", 1.0), Parameter("amin", 1e-5), Parameter("top_db", 80.0)],
                 doc: "librosa.amplitude_to_db: 20·log10(S / ref), clipped as power_to_db does; `ref: \"max\"` for dB below the peak.") { a in
            let spectrogram = try a.object("S", as: SpectrogramValue.self, named: "Spectrogram")
            let db = try spectrogram.matrix.amplitudeToDb(ref: try reference(a), amin: Float(try a.double("amin")), topDb: try a.optionalDouble("top_db").map(Float.init))
            return .object(spectrogram.with(db, isDecibels: true))
        }
        function("mfcc", [Parameter("y"), Parameter("n_mfcc", 20), Parameter("lifter", 0.0)] + SpectralParameters.stft(hop: 512) + SpectralParameters.mel,
                 doc: "librosa.feature.mfcc: n_mfcc × frames cepstral coefficients (DCT-II, ortho) of the log-power mel spectrogram of an Audio value; given a dB mel Spectrogram instead, only `n_mfcc` and `lifter` apply.") { a in
            let count = try a.int("n_mfcc"), lifter = Float(try a.double("lifter"))
            if case .object(let object) = a["y"], let spectrogram = object as? SpectrogramValue {
                return .object(spectrogram.with(try spectrogram.matrix.mfcc(nMFCC: count, lifter: lifter), isDecibels: false, rowName: "MFCC"))
            }
            let signal = try audio(a)
            let options = MFCCOptions(nMFCC: count, lifter: lifter, mel: try SpectralParameters.melOptions(a, power: 2))
            return .object(SpectrogramValue(try signal.mfcc(options), secondsPerFrame: Double(options.mel.stft.resolvedHopLength) / Double(signal.sampleRate), rowName: "MFCC"))
        }
        function("rms", [Parameter("y"), Parameter("frame_length", 2048), Parameter("hop_length", 512), Parameter("center", true)],
                 doc: "librosa.feature.rms: root-mean-square level of each frame, 1 × frames.") { a in
            let (signal, options) = (try audio(a), try frameOptions(a))
            return .object(SpectrogramValue(try signal.rms(options), secondsPerFrame: Double(options.hopLength) / Double(signal.sampleRate), rowName: "rms"))
        }
        function("zero_crossing_rate", [Parameter("y"), Parameter("frame_length", 2048), Parameter("hop_length", 512), Parameter("center", true)],
                 doc: "librosa.feature.zero_crossing_rate: the fraction of sign changes in each frame, 1 × frames.") { a in
            let (signal, options) = (try audio(a), try frameOptions(a))
            return .object(SpectrogramValue(try signal.zeroCrossingRate(options), secondsPerFrame: Double(options.hopLength) / Double(signal.sampleRate), rowName: "zcr"))
        }
        function("spectral_centroid", [Parameter("y")] + SpectralParameters.stft(hop: 512),
                 doc: "librosa.feature.spectral_centroid: the magnitude-weighted mean frequency (Hz) of each frame, 1 × frames.") { a in
            let (signal, options) = (try audio(a), try SpectralParameters.stftOptions(a))
            return .object(SpectrogramValue(try signal.spectralCentroid(options), secondsPerFrame: Double(options.resolvedHopLength) / Double(signal.sampleRate), rowName: "Hz"))
        }
        function("chroma_stft", [Parameter("y")] + SpectralParameters.stft(hop: 512) + [Parameter("n_chroma", 12), Parameter("tuning", nil)],
                 doc: "librosa.feature.chroma_stft: energy per pitch class (12 rows, C first) of each frame; `tuning` (fractions of a bin) is estimated from the signal when nil.") { a in
            let (signal, stft) = (try audio(a), try SpectralParameters.stftOptions(a))
            let options = ChromaOptions(stft: stft, nChroma: try a.int("n_chroma"), tuning: try a.optionalDouble("tuning"))
            return .object(SpectrogramValue(try signal.chroma(options), secondsPerFrame: Double(stft.resolvedHopLength) / Double(signal.sampleRate), rowName: "pitch class"))
        }
        function("delta", [Parameter("data"), Parameter("width", 9), Parameter("order", 1)],
                 doc: "librosa.feature.delta: Savitzky–Golay derivative of order `order` along frames over `width` frames (odd, ≥ 3).") { a in
            let spectrogram = try a.object("data", as: SpectrogramValue.self, named: "Spectrogram")
            return .object(spectrogram.with(try spectrogram.matrix.delta(width: try a.int("width"), order: try a.int("order")), isDecibels: false))
        }
        property("Spectrogram", "shape", doc: "`[rows, frames]`, as numpy prints it.") { a in
            .list(ListBox(try a.receiver(as: SpectrogramValue.self).matrix.shape.map { .int($0) }))
        }
        method("Spectrogram", "chunks", [Parameter("width"), Parameter("stride")],
               doc: "Windows of `width` frames every `stride` frames, dropping windows that would run past the end (128 × 563 with width 128, stride 64 → 7 windows), as a list of Spectrograms.") { a in
            let spectrogram = try a.receiver(as: SpectrogramValue.self)
            return .list(ListBox(try spectrogram.matrix.chunks(width: try a.int("width"), stride: try a.int("stride")).map { .object(spectrogram.with($0)) }))
        }
        method("Spectrogram", "mean", [Parameter("axis", 1)],
               doc: "Means as a list: over frames per row with `axis: 1` (the MFCC-mean utterance vector), over rows per frame with `axis: 0`.") { a in
            let matrix = try a.receiver(as: SpectrogramValue.self).matrix
            let axis = try a.int("axis")
            guard axis == 0 || axis == 1 else { throw BuiltinError("Spectrogram.mean: axis must be 0 or 1, got \(axis)") }
            let means = axis == 1 ? (0..<matrix.rows).map { mean(matrix.row($0)) } : (0..<matrix.columns).map { mean(matrix.column($0)) }
            return .list(ListBox(means.map { .float($0) }))
        }
        method("Spectrogram", "tensor", [], doc: "The values as a rows × frames Tensor.") { a in
            let matrix = try a.receiver(as: SpectrogramValue.self).matrix
            return .object(TensorValue(try Tensor(shape: matrix.shape, values: matrix.values)))
        }
    }
}

/// Argument 0 as a signal.
private func audio(_ a: Arguments) throws -> AudioSignal {
    try a.object("y", as: AudioValue.self, named: "Audio").signal
}

private func frameOptions(_ a: Arguments) throws -> FrameOptions {
    FrameOptions(frameLength: try a.int("frame_length"), hopLength: try a.int("hop_length"), center: try a.bool("center"))
}

/// `ref`: a number or "max".
private func reference(_ a: Arguments) throws -> DecibelReference {
    if case .string(let name) = a["ref"] {
        guard name == "max" else { throw BuiltinError("\(a.builtin.qualifiedName): 'ref' must be a number or \"max\", got \"\(name)\"") }
        return .max
    }
    return .value(Float(try a.double("ref")))
}

private func mean(_ values: [Float]) -> Double {
    values.isEmpty ? 0 : values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
}
