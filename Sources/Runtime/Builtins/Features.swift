import Engine
import Foundation

/// A per-clip feature recipe (`logmel(...)`, `mfcc_mean(...)`) for `features(...)`.
public final class FeatureRecipeValue: ScriptObject {
    let recipe: FeatureRecipe
    /// The sample rate the recipe was written for, when it names one.
    let sampleRate: Int?

    init(_ recipe: FeatureRecipe, sampleRate: Int?) {
        self.recipe = recipe
        self.sampleRate = sampleRate
    }

    public var typeName: String { "FeatureRecipe" }
    public var summary: String { "\(recipe.name)(\(recipe.parameters.encoded()))" }
}

extension BuiltinRegistry {
    /// Feature recipes, dataset featurisation with the on-disk cache, and scaling.
    func registerFeatures() {
        domain = "Features"
        function("logmel", [Parameter("sr", nil)] + SpectralParameters.stft(hop: 512) + [Parameter("power", 2.0)] + SpectralParameters.mel
                 + [Parameter("ref", "max"), Parameter("top_db", 80.0)],
                 doc: "The log-mel recipe: melspectrogram (librosa's keywords and defaults) then power_to_db with `ref` (default \"max\", the notebooks' ref=np.max; or a number) and `top_db`. Per clip n_mels × frames; `features` adds a channel axis (N×1×128×563 for the notebooks' `logmel(sr: 48000, n_fft: 1024, win_length: 512, window: \"hamming\", hop_length: 256, n_mels: 128, fmax: 24000)` on 3 s clips). `sr`, when given, must match the audio's rate.") { a in
            let options = try SpectralParameters.melOptions(a, power: Float(try a.double("power")))
            let ref: DecibelReference
            if case .string(let name) = a["ref"] {
                guard name == "max" else { throw BuiltinError("logmel: 'ref' must be a number or \"max\", got \"\(name)\"") }
                ref = .max
            } else {
                ref = .value(Float(try a.double("ref")))
            }
            let topDb = try a.optionalDouble("top_db").map(Float.init)
            return .object(FeatureRecipeValue(.logmel(options, ref: ref, topDb: topDb), sampleRate: try a.optionalInt("sr")))
        }
        function("mfcc_mean", [Parameter("sr", nil), Parameter("n_mfcc", 20), Parameter("lifter", 0.0)] + SpectralParameters.stft(hop: 512) + SpectralParameters.mel,
                 doc: "The utterance-level MFCC recipe of the exploratory notebooks: librosa.feature.mfcc (its keywords and defaults) averaged over frames, one vector of n_mfcc per clip (N×40 for `mfcc_mean(n_mfcc: 40, n_fft: 4096, hop_length: 256)`).") { a in
            let options = MFCCOptions(nMFCC: try a.int("n_mfcc"), lifter: Float(try a.double("lifter")), mel: try SpectralParameters.melOptions(a, power: 2))
            return .object(FeatureRecipeValue(.mfccMean(options), sampleRate: try a.optionalInt("sr")))
        }
        function("features", [Parameter("clips"), Parameter("recipe"), Parameter("chunk", nil), Parameter("stride", nil), Parameter("cache", "auto")],
                 doc: "Featurises an AudioSet on all cores (or `--threads`) into a FeatureSet (inputs, labels, clips): N×1×rows×frames for matrix recipes, N×n for vectors; with `chunk: 128, stride: 64` each matrix is cut into windows (N×7×1×128×128, windows past the end dropped). Features go straight into the stacked tensor, so memory is that tensor plus a little per core. `cache: \"auto\"` (the default) writes to `.cache/features` (beside `--out DIR`, else in the current folder) only features that took clearly longer to compute than to read back (pitch shift, time stretch, reverb, long files: not plain log-mel of short clips); `cache: true` writes every one, `false` neither reads nor writes. Entries are keyed by each file, the load and augmentation settings, the recipe, the front end's version and the C libraries' versions; each entry's checksum is verified on reading and a damaged entry is recomputed with a warning. The least recently used entries go beyond 2 GB ($SERSCRIPT_FEATURE_CACHE_LIMIT); `serscript cache` shows or clears it.") { a in
            let clips = try a.object("clips", as: AudioSetValue.self, named: "AudioSet (from load_audio)")
            let recipe = try a.object("recipe", as: FeatureRecipeValue.self, named: "feature recipe such as logmel(...)")
            if let rate = recipe.sampleRate, rate != clips.spec.sampleRate {
                throw BuiltinError("features: the recipe is for sr \(rate) but the clips are loaded at \(clips.spec.sampleRate) Hz")
            }
            guard clips.count > 0 else { throw BuiltinError("features: the AudioSet has no clips") }
            let chunking = try chunkSettings(a, recipe: recipe)
            let cache = try cachePolicy(a).map { try FeatureCache(directory: a.interpreter.output.cacheDirectory, policy: $0) }
            let pipeline = FeaturePipeline(load: clips.spec, recipe: recipe.recipe, chunking: chunking)
            var recipeKey: [String: JSONValue] = ["recipe": .string(recipe.recipe.name), "parameters": recipe.recipe.parameters]
            if let (width, stride) = chunking { recipeKey["chunk"] = [.number(Double(width)), .number(Double(stride))] }
            let items = (0..<clips.count).map { row -> (path: String, parameters: JSONValue) in
                var key = recipeKey
                key["clip"] = clips.key(row)
                return (clips.dataset.clips[row].path, .object(key))
            }
            let result = try featurize(items, cache: cache) { row in
                try pipeline.example(from: try clips.signal(row))
            }
            warn(a, result.damaged, "damaged feature cache entr", "recomputed")
            warn(a, result.unwritten, "feature cache entr", "not written (the features are fine)")
            let written = result.stored > 0 ? ", \(result.stored) written to the cache" : ""
            a.interpreter.write("features: \(clips.count) clips (\(result.computed) computed, \(result.reused) from cache\(written))\n")
            return .object(try FeatureSet(inputs: result.stacked, labels: clips.dataset.labels, classNames: clips.dataset.classNames,
                                          clips: clips.dataset, origin: FeatureSet.Origin(pipeline: pipeline, scaled: false)))
        }
        function("standard_scaler", [Parameter("data"), Parameter("mode", "position")],
                 doc: "Fits a standard scaler on a (training) FeatureSet: `mode: \"position\"` keeps one mean and std per element position (sklearn's StandardScaler on flattened inputs, as the notebooks do), `\"mel\"` one per mel bin pooled over frames. Apply it with `scaler.apply(fs)` to train, val and test alike.") { a in
            let set = try a.object("data", as: FeatureSet.self, named: "FeatureSet")
            let mode: StandardScaler.Mode = try a.choice("mode", ["position", "mel"]) == "mel" ? .perRow : .perPosition
            return .object(ScalerValue(try StandardScaler(fitting: FeatureRows.rows(of: set.inputs), mode: mode)))
        }
        method("Scaler", "apply", [Parameter("data")], doc: "The FeatureSet standardised with the fitted means and scales (same labels and clips).") { a in
            let scaler = try a.receiver(as: ScalerValue.self).scaler
            let set = try a.object("data", as: FeatureSet.self, named: "FeatureSet")
            let output = try FeatureRows.scaled(set.inputs, by: scaler)
            return .object(try FeatureSet(inputs: output, labels: set.labels, classNames: set.classNames, clips: set.clips,
                                          origin: set.origin.map { FeatureSet.Origin(pipeline: $0.pipeline, scaled: true) }))
        }
        method("FeatureSet", "augment", [.variadic("augmentations"), Parameter("keep_original", true)],
               doc: "The rows followed by each spectrogram augmentation's copies of every row (`fs.augment(spec_augment(copies: 1))`); masks act on the last two axes (bins × frames) of every row, labels and clips follow their source row.") { a in
            let set = try a.receiver(as: FeatureSet.self)
            return .object(try specAugmented(set, with: try a.list("augmentations"), keepOriginal: try a.bool("keep_original")))
        }
    }
}

/// A fitted `StandardScaler` as a script value.
public final class ScalerValue: ScriptObject {
    public let scaler: StandardScaler
    public init(_ scaler: StandardScaler) { self.scaler = scaler }
    public var typeName: String { "Scaler" }
    public var summary: String {
        "Scaler(\(scaler.mode == .perRow ? "per mel bin" : "per position"), rows of shape \(scaler.sampleShape))"
    }
}

private func chunkSettings(_ a: Arguments, recipe: FeatureRecipeValue) throws -> (width: Int, stride: Int)? {
    guard let width = try a.optionalInt("chunk") else {
        if !a.isNil("stride") { throw BuiltinError("features: 'stride' needs 'chunk'") }
        return nil
    }
    guard !recipe.recipe.isVector else { throw BuiltinError("features: \(recipe.recipe.name) makes one vector per clip; it cannot be chunked") }
    let stride = try a.optionalInt("stride") ?? width
    guard width >= 1, stride >= 1 else { throw BuiltinError("features: chunk and stride must be positive, got \(width) and \(stride)") }
    return (width, stride)
}

/// The cache policy `cache:` asks for: "auto" (what is costly to recompute), true (everything), false (no cache).
private func cachePolicy(_ a: Arguments) throws -> FeatureCachePolicy? {
    switch a["cache"] {
    case .bool(let on): return on ? .always : nil
    case .string("auto"): return .whenCostly
    case .string(let other): throw BuiltinError("features: 'cache' must be \"auto\", true or false, got \"\(other)\"")
    case let other: throw BuiltinError("features: 'cache' must be \"auto\", true or false, got a \(other.typeName)")
    }
}

/// A warning listing up to five of `items`: "warning: 2 damaged feature cache entries were recomputed:".
private func warn(_ a: Arguments, _ items: [String], _ stem: String, _ outcome: String) {
    guard !items.isEmpty else { return }
    let shown = items.prefix(5).map { "  " + $0 }.joined(separator: "\n")
    a.interpreter.write("warning: \(items.count) \(stem)\(items.count == 1 ? "y was" : "ies were") \(outcome):\n\(shown)\(items.count > 5 ? "\n  …" : "")\n")
}

/// `set`'s rows (when kept) followed by every SpecAugment's masked copies.
private func specAugmented(_ set: FeatureSet, with values: [Value], keepOriginal: Bool) throws -> FeatureSet {
    guard set.inputs.rank >= 3 else { throw BuiltinError("FeatureSet.augment: spectrogram masks need rows of bins × frames; inputs are \(set.inputs.shape)") }
    var copies = keepOriginal ? (0..<set.count).map { FeatureRows.Copy(source: $0) } : []
    for value in values {
        guard case .object(let object) = value, let augmentation = object as? AugmentationValue, case .spectrogram(let spec) = augmentation.kind else {
            throw BuiltinError("FeatureSet.augment: expected spec_augment(…), got \(value.typeName == "Augmentation" ? "a waveform augmentation (apply those to the AudioSet before features)" : value.typeName)")
        }
        try Limits.check(copies.count + (try Limits.elements(set.count, times: augmentation.copies, "FeatureSet.augment")), "FeatureSet.augment")
        for row in 0..<set.count {
            for copy in 0..<augmentation.copies { copies.append(FeatureRows.Copy(source: row, mask: (spec, row, copy))) }
        }
    }
    let sources = copies.map(\.source)
    return try FeatureSet(inputs: try FeatureRows.specAugmented(set.inputs, copies: copies), labels: sources.map { set.labels[$0] },
                          classNames: set.classNames, clips: try set.clips?.subset(sources), origin: set.origin)
}
