import Engine
import Foundation

/// A clip table (`Dataset`) as a script value.
public final class DatasetValue: ScriptObject {
    public let dataset: Dataset

    public init(_ dataset: Dataset) { self.dataset = dataset }

    public var typeName: String { "Dataset" }
    /// `Dataset(1440 clips, 24 speakers, 8 classes)`
    public var summary: String {
        "Dataset(\(dataset.count) clips, \(Set(dataset.clips.map(\.speakerKey)).count) speakers, \(dataset.classes.count) classes)"
    }
    /// The Engine's table of clips per class and gender.
    public var details: String { dataset.summary() }
}

extension BuiltinRegistry {
    /// Corpora, clip tables and splits.
    func registerData() {
        domain = "Data"
        function("corpus", [Parameter("name"), Parameter("dir"), Parameter("merge_calm", false), Parameter("emotions", nil),
                            Parameter("order", "vocabulary"), Parameter("on_unparsable", "error"), Parameter("channels", nil)],
                 doc: "Indexes a corpus folder into a Dataset, labelling every audio file by the corpus's naming rule: `name` is ravdess, cremad, tess, savee, emodb, folders (one folder per emotion) or manifest (`dir` is then a CSV listing the files). A manifest CSV has a header row with the columns path and emotion, and optionally speaker, gender, intensity, statement and corpus (default: the CSV's file name); relative paths are read from the CSV's folder, other columns are ignored. `merge_calm: true` relabels RAVDESS calm as neutral; `emotions: [...]` keeps those classes, numbered in that order; `order: \"notebook\"` puts surprised first as the notebooks do (default \"vocabulary\": neutral, calm, happy, sad, angry, fearful, disgust, surprised, boredom); a file whose name does not parse (or a manifest row with an unknown label or a missing file) is an error naming it (manifest: file and line), or with `on_unparsable: \"skip\"` is left out with a warning; `channels: [\"speech\"]` limits RAVDESS to speech (default speech and song).") { a in
            let name = try a.string("name")
            let corpus = try Corpus.named(name)
            var options = CorpusOptions(onUnparsable: try a.choice("on_unparsable", ["error", "skip"]) == "skip" ? .skip : .fail,
                                        mergeCalmIntoNeutral: try a.bool("merge_calm"), order: try classOrder(a, "order"))
            if !a.isNil("emotions") { options.emotions = try emotions(a, "emotions") }
            if !a.isNil("channels") {
                options.ravdessChannels = Set(try a.list("channels").map { value in
                    guard case .string(let name) = value, let channel = RAVDESSChannel(rawValue: name) else {
                        throw BuiltinError("corpus: 'channels' entries must be \"speech\" or \"song\", got \(value.repr)")
                    }
                    return channel
                })
            }
            let root = try a.string("dir")
            let indexed = try corpus.index(root: root, options: options)
            // A manifest's paths are relative to its folder; a corpus's to the corpus folder.
            let base = corpus == .manifest ? (root as NSString).deletingLastPathComponent : root
            a.interpreter.output.noteData(DataFingerprint(source: "\(name) \(root)", root: base,
                                                          paths: indexed.dataset.clips.map(\.path)))
            if !indexed.identical.isEmpty {
                let prefix = (base as NSString).standardizingPath + "/"
                func shortened(_ path: String) -> String {
                    let standard = (path as NSString).standardizingPath
                    return standard.hasPrefix(prefix) ? String(standard.dropFirst(prefix.count)) : path
                }
                let shown = indexed.identical.prefix(5).map { group in
                    "  " + group.prefix(3).map(shortened).joined(separator: " = ")
                        + (group.count > 3 ? " = … (\(group.count) files)" : "")
                }.joined(separator: "\n")
                a.interpreter.write("note: \(indexed.identical.count) group(s) of byte-identical audio files; splits keep each group on one side:\n"
                                    + shown + (indexed.identical.count > 5 ? "\n  …" : "") + "\n")
            }
            if !indexed.skipped.isEmpty {
                let shown = indexed.skipped.prefix(5).map { "  \($0)" }.joined(separator: "\n")
                a.interpreter.write("warning: \(indexed.skipped.count) file(s) skipped:\n\(shown)\(indexed.skipped.count > 5 ? "\n  …" : "")\n")
            }
            return .object(DatasetValue(indexed.dataset))
        }
        method("Dataset", "len", [], doc: "Number of clips.") { a in .int(try receiver(a).count) }
        method("Dataset", "+", [Parameter("other")],
               doc: "`a + b` combines two datasets (e.g. corpora); classes keep a's numbering, new classes of b follow.") { a in
            let (left, right) = (try receiver(a), try a.object("other", as: DatasetValue.self, named: "Dataset").dataset)
            let classes = left.classes + right.classes.filter { !left.classes.contains($0) }
            return .object(DatasetValue(try Dataset.concatenating([left, right], order: .custom(classes))))
        }
        method("Dataset", "[]", [Parameter("index")],
               doc: "`ds[i]` is row i as a record (path, emotion, label, speaker, gender, intensity, statement, corpus); negative counts from the end.") { a in
            let dataset = try receiver(a)
            var row = try a.int("index")
            if row < 0 { row += dataset.count }
            guard row >= 0, row < dataset.count else { throw BuiltinError("Dataset: row \(try a.int("index")) is out of range for \(dataset.count) clips") }
            return .dict(DictBox(DatasetColumn.allCases.map { column in
                (column.rawValue, column == .label ? .int(dataset.labels[row]) : .string(dataset.value(column, at: row)))
            }))
        }
        property("Dataset", "classes", doc: "The class names in label order.") { a in .list(ListBox(try receiver(a).classNames.map { .string($0) })) }
        property("Dataset", "labels", doc: "The class index of every clip.") { a in .list(ListBox(try receiver(a).labels.map { .int($0) })) }
        property("Dataset", "paths", doc: "The audio file of every clip.") { a in .list(ListBox(try receiver(a).clips.map { .string($0.path) })) }
        property("Dataset", "speakers", doc: "The distinct speakers, as corpus/speaker keys, sorted.") { a in
            .list(ListBox(Set(try receiver(a).clips.map(\.speakerKey)).sorted().map { .string($0) }))
        }
        method("Dataset", "column", [Parameter("name")],
               doc: "Every clip's value in column `name` (path, emotion, label, speaker, gender, intensity, statement, corpus) as a list of strings.") { a in
            .list(ListBox(try receiver(a).column(try DatasetColumn.named(try a.string("name"))).map { .string($0) }))
        }
        method("Dataset", "count", [Parameter("column", "emotion")],
               doc: "Clips per value of `column` as a dict (emotions in class order), ready for `plot_bar`.") { a in
            .dict(DictBox(try receiver(a).counts(by: try DatasetColumn.named(try a.string("column"))).map { ($0.value, .int($0.count)) }))
        }
        method("Dataset", "filter", [.keywords("columns")],
               doc: "The clips whose columns have the given values: `ds.filter(gender: \"female\", intensity: [\"normal\", \"strong\"])`; speakers as \"01\" or \"RAVDESS/01\"; the class numbering is kept.") { a in
            var dataset = try receiver(a)
            for (key, value) in try a.dict("columns").pairs {
                guard case .string(let name) = key else { continue }
                let wanted = try (value.elements ?? [value]).map { item -> String in
                    if case .string(let text) = item { return text }
                    if case .int(let number) = item { return String(number) }
                    throw BuiltinError("Dataset.filter: values of '\(name)' must be strings, got \(item.typeName)")
                }
                let column = try DatasetColumn.named(name)
                if column == .speaker {
                    // Speakers are corpus/speaker keys; a bare "01" names that speaker in any corpus.
                    dataset = dataset.filter { clip in wanted.contains { clip.speakerKey == $0 || clip.speaker == $0 } }
                } else {
                    dataset = dataset.filter(column, in: wanted)
                }
            }
            return .object(DatasetValue(dataset))
        }
        method("Dataset", "subset", [Parameter("rows")], doc: "The clips at the given row indices, in that order.") { a in
            .object(DatasetValue(try receiver(a).subset(try rowIndices(a, "rows"))))
        }
        method("Dataset", "select", [Parameter("emotions")],
               doc: "Only the clips of the listed emotions, renumbered in the order given: `ds.select([\"angry\", \"happy\", \"sad\"])`.") { a in
            .object(DatasetValue(try receiver(a).selecting(try emotions(a, "emotions"))))
        }
        method("Dataset", "merge", [Parameter("mapping")],
               doc: "Relabels classes by a dict, e.g. `ds.merge({calm: \"neutral\"})`; a merged class takes the first position of its sources.") { a in
            var mapping: [Emotion: Emotion] = [:]
            for (key, value) in try a.dict("mapping").pairs {
                guard case .string(let from) = key, case .string(let to) = value else { throw BuiltinError("Dataset.merge: mapping must be emotion names to emotion names") }
                mapping[try emotion(from)] = try emotion(to)
            }
            return .object(DatasetValue(try receiver(a).merging(mapping)))
        }
        method("Dataset", "order", [Parameter("order")],
               doc: "The same clips with classes renumbered: \"notebook\" (surprised first), \"vocabulary\", or a list of emotion names.") { a in
            .object(DatasetValue(try receiver(a).ordered(try classOrder(a, "order"))))
        }
        registerSplits()
    }

    private func registerSplits() {
        method("Dataset", "split", [Parameter("fractions", .list(ListBox([.float(0.8), .float(0.1), .float(0.1)]))),
                                    Parameter("stratify", "emotion"), Parameter("seed", nil)],
               doc: "Stratified random split, per class a seeded permutation cut at the fractions (the notebooks' 80/10/10 rule): `let (train, val, test) = ds.split([0.8, 0.1, 0.1], stratify: \"emotion\", seed: 42)`; two fractions give (train, test). Without `seed` the script's seed is used. Byte-identical clips (found when the corpus is indexed) stay in one part, with a printed note. Speakers may appear in several parts; see `speaker_split`.") { a in
            let fractions = try a.list("fractions").map { value -> Double in
                guard let x = value.asDouble, x >= 0 else { throw BuiltinError("Dataset.split: fractions must be non-negative numbers, got \(value.repr)") }
                return x
            }
            guard fractions.count == 2 || fractions.count == 3, abs(fractions.reduce(0, +) - 1) < 1e-6 else {
                throw BuiltinError("Dataset.split: give 2 or 3 fractions that sum to 1, got \(fractions)")
            }
            _ = try a.choice("stratify", ["emotion", "label"])
            let dataset = try receiver(a)
            let split = try Splits.stratified(dataset, train: fractions[0], validation: fractions.count == 3 ? fractions[1] : 0, seed: try seedArgument(a))
            noteIdentical(dataset, a)
            let parts = fractions.count == 3 ? [split.train, split.validation, split.test] : [split.train, split.test]
            return .tuple(try parts.map { .object(DatasetValue(try dataset.subset($0))) })
        }
        method("Dataset", "speaker_split", [Parameter("val", 1), Parameter("test", 1), Parameter("seed", nil)],
               doc: "Speaker-independent (train, val, test): `val` and `test` are numbers of speakers drawn with the seed, or lists of speaker names (\"01\" or \"RAVDESS/01\"); no speaker is in two parts.") { a in
            let dataset = try receiver(a)
            let split: Split
            if let validation = a["val"].elements, let test = a["test"].elements {
                split = try Splits.speakerIndependent(dataset, validationSpeakers: try names(validation), testSpeakers: try names(test))
            } else {
                split = try Splits.speakerIndependent(dataset, validationCount: try a.int("val"), testCount: try a.int("test"), seed: try seedArgument(a))
            }
            return .tuple(try [split.train, split.validation, split.test].map { .object(DatasetValue(try dataset.subset($0))) })
        }
        method("Dataset", "kfold", [Parameter("k", 5), Parameter("seed", nil)],
               doc: "Stratified k-fold cross-validation: a list of k (train, test) tuples; every clip is in exactly one test part, and byte-identical clips in the same one. For a whole protocol with mean ± std see `cross_validate`.") { a in
            let dataset = try receiver(a)
            noteIdentical(dataset, a)
            return .list(ListBox(try Splits.kFold(dataset, k: try a.int("k"), seed: try seedArgument(a)).map { fold in
                .tuple([.object(DatasetValue(try dataset.subset(fold.train))), .object(DatasetValue(try dataset.subset(fold.test)))])
            }))
        }
        method("Dataset", "loso", [],
               doc: "Leave-one-speaker-out: a list of (speaker, train, test) tuples, one per speaker, whose test part is that speaker's clips.") { a in
            let dataset = try receiver(a)
            return .list(ListBox(try Splits.leaveOneSpeakerOut(dataset).map { fold in
                .tuple([.string(fold.name), .object(DatasetValue(try dataset.subset(fold.train))), .object(DatasetValue(try dataset.subset(fold.test)))])
            }))
        }
    }
}

private func receiver(_ a: Arguments) throws -> Dataset { try a.receiver(as: DatasetValue.self).dataset }

/// Says when a random split keeps groups of identical clips together.
func noteIdentical(_ dataset: Dataset, _ a: Arguments) {
    let groups = dataset.identicalGroups
    guard !groups.isEmpty else { return }
    let clips = groups.reduce(0) { $0 + $1.count }
    a.interpreter.write("note: \(a.builtin.qualifiedName) keeps \(groups.count) group(s) of identical clips (\(clips) clips) on one side\n")
}

/// The `seed` argument, or a draw from the script's generator (so `--seed` / `seed(n)` fix it).
func seedArgument(_ a: Arguments) throws -> UInt64 {
    if a.isNil("seed") { return a.interpreter.random.next() }
    return UInt64(bitPattern: Int64(try a.int("seed")))
}

func emotion(_ name: String) throws -> Emotion {
    guard let emotion = Emotion.named(name) else {
        throw BuiltinError("unknown emotion '\(name)'; emotions are " + Emotion.allCases.map(\.rawValue).joined(separator: ", ")
                           + Suggestions.didYouMean(name, among: Emotion.allCases.map(\.rawValue)))
    }
    return emotion
}

private func emotions(_ a: Arguments, _ name: String) throws -> [Emotion] {
    try a.list(name).map { value in
        guard case .string(let name) = value else { throw BuiltinError("\(a.builtin.qualifiedName): emotions must be names, got \(value.typeName)") }
        return try emotion(name)
    }
}

private func names(_ values: [Value]) throws -> [String] {
    try values.map { value in
        if case .string(let name) = value { return name }
        if case .int(let number) = value { return String(format: "%02d", number) }
        throw BuiltinError("speaker names must be strings, got \(value.typeName)")
    }
}

private func classOrder(_ a: Arguments, _ name: String) throws -> ClassOrder {
    if a[name].elements != nil { return .custom(try emotions(a, name)) }
    return try a.choice(name, ["vocabulary", "notebook"]) == "notebook" ? .notebook : .vocabulary
}
