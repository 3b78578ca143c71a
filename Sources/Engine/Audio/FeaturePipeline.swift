import Foundation
import EngineFormats
import EngineTensor

/// How a clip is read before featurising, as the notebooks load it: librosa.load's `sr`, `offset`
/// and `duration` (channels averaged to mono), then with `pad` zero-padded or cut to exactly
/// `duration` seconds (fix_length).
public struct AudioLoadSpec: Equatable, Sendable {
    public var sampleRate: Int
    public var offset: Double
    public var duration: Double?
    public var pad: Bool

    public init(sampleRate: Int, offset: Double = 0, duration: Double? = nil, pad: Bool = false) {
        self.sampleRate = sampleRate
        self.offset = offset
        self.duration = duration
        self.pad = pad
    }

    /// The clip at `path`: loaded, then fixed to `duration` when padding.
    public func load(_ path: String) throws -> AudioSignal {
        try fitted(try AudioSignal.load(path: path, sampleRate: sampleRate, offset: offset, duration: duration))
    }

    /// `signal` zero-padded or cut to `duration` when padding, else unchanged.
    public func fitted(_ signal: AudioSignal) throws -> AudioSignal {
        guard pad, let duration else { return signal }
        return try signal.fixedLength(try AudioSignal.sampleCount(seconds: duration, sampleRate: sampleRate, op: "load_audio"))
    }

    /// `{sr, offset, duration, pad}` (librosa's names; part of feature-cache keys).
    public var json: JSONValue {
        .object(["sr": .number(Double(sampleRate)), "offset": .number(offset), "duration": duration.map { .number($0) } ?? .null, "pad": .bool(pad)])
    }
}

/// What is computed from one clip's signal: a log-mel spectrogram or utterance-mean MFCCs.
public enum FeatureRecipe: Equatable, Sendable {
    /// melspectrogram then power_to_db(`ref`, `topDb`).
    case logmel(MelSpectrogramOptions, ref: DecibelReference, topDb: Float?)
    /// librosa.feature.mfcc averaged over frames: one vector per clip.
    case mfccMean(MFCCOptions)

    /// `logmel` or `mfcc_mean`, the language's names.
    public var name: String {
        switch self {
        case .logmel: return "logmel"
        case .mfccMean: return "mfcc_mean"
        }
    }

    /// One value per clip rather than a bins × frames matrix.
    public var isVector: Bool { if case .mfccMean = self { return true } else { return false } }

    /// One clip's features: bins × frames, or a 1 × n_mfcc row for `mfccMean`.
    public func compute(_ signal: AudioSignal) throws -> FeatureMatrix {
        switch self {
        case let .logmel(options, ref, topDb):
            return try signal.melspectrogram(options).powerToDb(ref: ref, topDb: topDb)
        case .mfccMean(let options):
            let mfcc = try signal.mfcc(options)
            let means = (0..<mfcc.rows).map { row -> Float in
                let values = mfcc.row(row)
                return values.isEmpty ? 0 : Float(values.reduce(0.0) { $0 + Double($1) } / Double(values.count))
            }
            return try FeatureMatrix(rows: 1, columns: means.count, values: means)
        }
    }

    /// The recipe's settings with librosa's keyword names (part of feature-cache keys).
    public var parameters: JSONValue {
        switch self {
        case let .logmel(options, ref, topDb):
            var members = options.json.objectValue ?? [:]
            switch ref {
            case .max: members["ref"] = .string("max")
            case .value(let value): members["ref"] = .number(Double(value))
            }
            members["top_db"] = topDb.map { .number(Double($0)) } ?? .null
            return .object(members)
        case .mfccMean(let options):
            var members = options.mel.json.objectValue ?? [:]
            members["n_mfcc"] = .number(Double(options.nMFCC))
            members["lifter"] = .number(Double(options.lifter))
            return .object(members)
        }
    }

    /// The recipe named `name` with `parameters` as `parameters` writes them.
    public init(name: String, parameters: JSONValue) throws {
        let fields = JSONFields(parameters, "features.recipe")
        switch name {
        case "logmel":
            let ref: DecibelReference
            switch try fields.value("ref") {
            case .string("max"): ref = .max
            case .number(let value): ref = .value(Float(value))
            default: throw DataError("features.recipe: 'ref' must be a number or \"max\"")
            }
            self = .logmel(try MelSpectrogramOptions(json: parameters), ref: ref, topDb: try fields.optionalNumber("top_db").map(Float.init))
        case "mfcc_mean":
            self = .mfccMean(MFCCOptions(nMFCC: try fields.int("n_mfcc"), lifter: Float(try fields.number("lifter")),
                                         mel: try MelSpectrogramOptions(json: parameters)))
        default:
            throw DataError("features.recipe: unknown recipe '\(name)' (logmel or mfcc_mean)")
        }
    }
}

/// Everything between an audio file and a model input: how it is loaded, the feature recipe, and
/// the optional chunking of the spectrogram into fixed windows (`chunk` frames every `stride`).
public struct FeaturePipeline: Equatable, Sendable {
    public var load: AudioLoadSpec
    public var recipe: FeatureRecipe
    public var chunking: (width: Int, stride: Int)?

    public init(load: AudioLoadSpec, recipe: FeatureRecipe, chunking: (width: Int, stride: Int)? = nil) {
        self.load = load
        self.recipe = recipe
        self.chunking = chunking
    }

    /// Equal when they compute the same features (defaults resolved, as `json` writes them).
    public static func == (lhs: FeaturePipeline, rhs: FeaturePipeline) -> Bool { lhs.json == rhs.json }

    /// One example's model input from `signal` (already loaded): `[n]` for vectors, `[1, bins, frames]`
    /// for spectrograms, `[chunks, 1, bins, width]` when chunked.
    public func example(from signal: AudioSignal) throws -> StoredTensor {
        let matrix = try recipe.compute(signal)
        if recipe.isVector { return StoredTensor(shape: [matrix.columns], values: matrix.values) }
        guard let (width, stride) = chunking else { return StoredTensor(shape: [1, matrix.rows, matrix.columns], values: matrix.values) }
        let chunks = try matrix.chunks(width: width, stride: stride)
        guard !chunks.isEmpty else {
            throw AudioParameterError("features", "\(matrix.columns) frames are fewer than one chunk of \(width)")
        }
        return StoredTensor(shape: [chunks.count, 1, matrix.rows, width], values: chunks.flatMap(\.values))
    }

    /// The model input of the file at `path`, loaded as in training.
    public func example(path: String) throws -> StoredTensor { try example(from: try load.load(path)) }

    /// The whole recording at `path` at the pipeline's rate (mono), for sliding windows over it.
    public func recording(path: String) throws -> AudioSignal {
        try AudioSignal.load(path: path, sampleRate: load.sampleRate)
    }

    /// As JSON: `{load: {sr, offset, duration, pad, channels}, recipe: {name, parameters}, chunk: [width, stride] | null}`.
    public var json: JSONValue {
        var loading = load.json.objectValue ?? [:]
        loading["channels"] = .string("mean")   // every channel averaged to mono, as librosa.load
        return .object(["load": .object(loading),
                        "recipe": .object(["name": .string(recipe.name), "parameters": recipe.parameters]),
                        "chunk": chunking.map { .array([.number(Double($0.width)), .number(Double($0.stride))]) } ?? .null])
    }

    /// The pipeline `json` describes; a missing or wrong field is named.
    public init(json: JSONValue) throws {
        let fields = JSONFields(json, "features")
        let loading = JSONFields(try fields.value("load"), "features.load")
        let channels = try loading.string("channels")
        guard channels == "mean" else { throw DataError("features.load: channels '\(channels)' is not supported (only \"mean\")") }
        load = AudioLoadSpec(sampleRate: try loading.int("sr"), offset: try loading.number("offset"),
                             duration: try loading.optionalNumber("duration"), pad: try loading.bool("pad"))
        guard load.sampleRate > 0, load.offset >= 0, (load.duration ?? 1) > 0 else {
            throw DataError("features.load: sr and duration must be positive and offset non-negative")
        }
        let recipeFields = JSONFields(try fields.value("recipe"), "features.recipe")
        recipe = try FeatureRecipe(name: try recipeFields.string("name"), parameters: try recipeFields.value("parameters"))
        switch try fields.value("chunk") {
        case .null: chunking = nil
        case .array(let pair) where pair.count == 2:
            guard let width = pair[0].numberValue.flatMap(Int.init(exactly:)), let stride = pair[1].numberValue.flatMap(Int.init(exactly:)),
                  width >= 1, stride >= 1 else { throw DataError("features.chunk must be two positive ints, got \(pair)") }
            chunking = (width, stride)
        default: throw DataError("features.chunk must be [width, stride] or null")
        }
    }
}

extension MelSpectrogramOptions {
    /// librosa's keywords: `n_fft`, `hop_length`, `win_length`, `window`, `center`, `pad_mode`, `power`,
    /// `n_mels`, `fmin`, `fmax`, `htk`, `norm` (part of feature-cache keys).
    public var json: JSONValue {
        .object(["n_fft": .number(Double(stft.nFFT)), "hop_length": .number(Double(stft.resolvedHopLength)),
                 "win_length": .number(Double(stft.resolvedWinLength)), "window": .string(stft.window.rawValue),
                 "center": .bool(stft.center), "pad_mode": .string(stft.padMode.rawValue),
                 "power": .number(Double(power)), "n_mels": .number(Double(mel.nMels)),
                 "fmin": .number(mel.fmin), "fmax": mel.fmax.map { .number($0) } ?? .null,
                 "htk": .bool(mel.htk), "norm": .string(mel.norm.rawValue)])
    }

    /// The options `json` describes.
    public init(json: JSONValue) throws {
        let fields = JSONFields(json, "features.recipe")
        func named<T: RawRepresentable>(_ key: String, _: T.Type) throws -> T where T.RawValue == String {
            let text = try fields.string(key)
            guard let value = T(rawValue: text) else { throw DataError("features.recipe: unknown \(key) '\(text)'") }
            return value
        }
        self.init(nFFT: try fields.int("n_fft"), hopLength: try fields.int("hop_length"), winLength: try fields.int("win_length"),
                  window: try named("window", WindowFunction.self), center: try fields.bool("center"),
                  padMode: try named("pad_mode", PadMode.self), power: Float(try fields.number("power")), nMels: try fields.int("n_mels"),
                  fmin: try fields.number("fmin"), fmax: try fields.optionalNumber("fmax"), htk: try fields.bool("htk"),
                  norm: try named("norm", MelNorm.self))
    }
}
