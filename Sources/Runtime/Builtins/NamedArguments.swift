import Engine
import Foundation

/// Access to a builtin's arguments by parameter name, for the long librosa-style keyword lists
/// (`n_fft`, `hop_length`, …) where positions would be fragile.
/// Arguments that need more than a type check: optional numbers, ranges and choices.
extension Arguments {
    func optionalInt(_ name: String) throws -> Int? { isNil(name) ? nil : try int(name) }
    func optionalDouble(_ name: String) throws -> Double? { isNil(name) ? nil : try double(name) }

    /// A `[low, high]` range given as a two-number list, or a single number meaning `[x, x]`.
    func range(_ name: String) throws -> (low: Double, high: Double) {
        if let x = self[name].asDouble { return (x, x) }
        guard let items = self[name].elements, items.count == 2, let low = items[0].asDouble, let high = items[1].asDouble else {
            throw BuiltinError("\(builtin.qualifiedName): '\(name)' must be a number or a [low, high] list, got \(self[name].repr.prefix(40))")
        }
        guard low <= high else { throw BuiltinError("\(builtin.qualifiedName): '\(name)' range [\(low), \(high)] is reversed") }
        return (low, high)
    }

    /// One of `choices` (the error lists them and suggests the nearest).
    func choice(_ name: String, _ choices: [String]) throws -> String {
        let value = try string(name)
        guard choices.contains(value) else {
            throw BuiltinError("\(builtin.qualifiedName): '\(name)' must be one of \(choices.joined(separator: ", ")); got '\(value)'"
                               + Suggestions.didYouMean(value, among: choices))
        }
        return value
    }
}

/// librosa's STFT keyword arguments, shared by every spectral builtin so they read and default alike.
enum SpectralParameters {
    /// `n_fft`, `hop_length`, `win_length`, `window`, `center`, `pad_mode` with librosa's defaults
    /// (`hop_length` nil = win_length // 4, except where a librosa function fixes 512).
    static func stft(hop: Value = .null) -> [Parameter] {
        [Parameter("n_fft", 2048), Parameter("hop_length", hop), Parameter("win_length", nil),
         Parameter("window", "hann"), Parameter("center", true), Parameter("pad_mode", "constant")]
    }

    /// The mel filterbank's keyword arguments.
    static let mel: [Parameter] = [Parameter("n_mels", 128), Parameter("fmin", 0.0), Parameter("fmax", nil),
                                   Parameter("htk", false), Parameter("norm", "slaney")]

    static func window(_ a: Arguments) throws -> WindowFunction {
        let names = ["hann": WindowFunction.hann, "hamming": .hamming, "blackman": .blackman,
                     "blackmanharris": .blackmanHarris, "bartlett": .bartlett, "boxcar": .rectangular, "rectangular": .rectangular]
        let name = try a.choice("window", names.keys.sorted())
        return names[name] ?? .hann
    }

    static func stftOptions(_ a: Arguments) throws -> STFTOptions {
        let mode = try a.choice("pad_mode", PadMode.allCases.map(\.rawValue))
        return STFTOptions(nFFT: try a.int("n_fft"), hopLength: try a.optionalInt("hop_length"), winLength: try a.optionalInt("win_length"),
                           window: try window(a), center: try a.bool("center"), padMode: PadMode(rawValue: mode) ?? .constant)
    }

    static func melOptions(_ a: Arguments, power: Float) throws -> MelSpectrogramOptions {
        let stft = try stftOptions(a)
        let norm = try a.choice("norm", ["slaney", "none"])
        return MelSpectrogramOptions(nFFT: stft.nFFT, hopLength: stft.hopLength ?? 512, winLength: stft.winLength, window: stft.window,
                                     center: stft.center, padMode: stft.padMode, power: power, nMels: try a.int("n_mels"),
                                     fmin: try a.double("fmin"), fmax: try a.optionalDouble("fmax"), htk: try a.bool("htk"),
                                     norm: norm == "none" ? .none : .slaney)
    }
}
