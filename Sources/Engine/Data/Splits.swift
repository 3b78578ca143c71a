import EngineFormats
import EngineTensor
import EngineAudio

/// A three-way partition of a dataset's rows (indices into `Dataset.clips`, ascending).
public struct Split: Sendable, Equatable {
    /// Rows to train on.
    public var train: [Int]
    /// Rows for validation during training (may be empty).
    public var validation: [Int]
    /// Held-out rows.
    public var test: [Int]

    /// Makes a split from row lists.
    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}

/// One fold of a cross-validation: rows to train on and rows to test on.
public struct Fold: Sendable, Equatable {
    /// "fold 1", or the held-out speaker for leave-one-speaker-out.
    public var name: String
    /// Rows to train on (ascending).
    public var train: [Int]
    /// Rows to test on (ascending).
    public var test: [Int]

    /// Makes a fold from row lists.
    public init(name: String, train: [Int], test: [Int]) {
        self.name = name
        self.train = train
        self.test = test
    }
}

/// Dataset partitions: stratified, speaker-independent, k-fold and leave-one-speaker-out.
public enum Splits {
    /// Per class: a seeded permutation, then the first ⌊train·m⌋ rows to train, up to
    /// ⌊(train+validation)·m⌋ to validation and the rest to test — the notebooks' 80/10/10 rule.
    /// Byte-identical clips (`Clip.identicalTo`) move as one unit, so they never straddle parts
    /// (m then counts units; without such clips the split is exactly the rule above).
    public static func stratified(_ dataset: Dataset, train: Double = 0.8, validation: Double = 0.1,
                                  seed: UInt64) throws -> Split {
        guard train >= 0, validation >= 0, train + validation <= 1 + 1e-12 else {
            throw DataError("split fractions train \(train) and validation \(validation) must be ≥ 0 and sum to at most 1")
        }
        let generator = RandomGenerator(seed: seed)
        var split = Split(train: [], validation: [], test: [])
        for units in unitsByClass(dataset) {
            var shuffled = units
            generator.shuffle(&shuffled)
            let trainEnd = Int((train * Double(units.count) + 1e-9).rounded(.down))
            let validationEnd = min(units.count, Int(((train + validation) * Double(units.count) + 1e-9).rounded(.down)))
            split.train += shuffled[0..<trainEnd].joined()
            split.validation += shuffled[trainEnd..<validationEnd].joined()
            split.test += shuffled[validationEnd...].joined()
        }
        return sorted(split)
    }

    /// Speaker-independent split with the held-out speakers named (as "01" or "RAVDESS/01").
    public static func speakerIndependent(_ dataset: Dataset, validationSpeakers: [String],
                                          testSpeakers: [String]) throws -> Split {
        let known = try speakerKeys(dataset)
        func resolve(_ names: [String]) throws -> Set<String> {
            Set(try names.flatMap { name -> [String] in
                let matches = known.filter { $0 == name || $0.hasSuffix("/" + name) }
                guard !matches.isEmpty else {
                    throw DataError("speaker '\(name)' is not in the dataset; speakers are " + known.joined(separator: ", "))
                }
                return matches
            })
        }
        let validation = try resolve(validationSpeakers)
        let test = try resolve(testSpeakers)
        if let both = validation.intersection(test).sorted().first {
            throw DataError("speaker \(both) is named for both validation and test")
        }
        var split = Split(train: [], validation: [], test: [])
        for (row, clip) in dataset.clips.enumerated() {
            if test.contains(clip.speakerKey) { split.test.append(row) }
            else if validation.contains(clip.speakerKey) { split.validation.append(row) }
            else { split.train.append(row) }
        }
        return split
    }

    /// Speaker-independent split drawing `validationCount` and `testCount` speakers with a seed.
    public static func speakerIndependent(_ dataset: Dataset, validationCount: Int, testCount: Int,
                                          seed: UInt64) throws -> Split {
        var speakers = try speakerKeys(dataset)
        guard validationCount >= 0, testCount >= 0, validationCount + testCount < speakers.count else {
            throw DataError("cannot hold out \(validationCount) validation and \(testCount) test speakers "
                            + "from \(speakers.count) speakers and still train")
        }
        let generator = RandomGenerator(seed: seed)
        generator.shuffle(&speakers)
        return try speakerIndependent(dataset, validationSpeakers: Array(speakers[testCount..<(testCount + validationCount)]),
                                      testSpeakers: Array(speakers[0..<testCount]))
    }

    /// Stratified k-fold: each class's rows, permuted with the seed, are dealt round-robin to the
    /// folds (continuing across classes), so per-class and total fold sizes differ by at most one.
    /// Byte-identical clips are dealt as one unit (to the same fold).
    public static func kFold(_ dataset: Dataset, k: Int, seed: UInt64) throws -> [Fold] {
        guard k >= 2, k <= dataset.count else {
            throw DataError("k-fold needs 2 ≤ k ≤ \(dataset.count) clips; got k = \(k)")
        }
        let generator = RandomGenerator(seed: seed)
        var foldOf = [Int](repeating: 0, count: dataset.count)
        var next = 0
        for units in unitsByClass(dataset) {
            var shuffled = units
            generator.shuffle(&shuffled)
            for unit in shuffled {
                for row in unit { foldOf[row] = next }
                next = (next + 1) % k
            }
        }
        return (0..<k).map { fold in
            Fold(name: "fold \(fold + 1)", train: foldOf.indices.filter { foldOf[$0] != fold },
                 test: foldOf.indices.filter { foldOf[$0] == fold })
        }
    }

    /// One fold per speaker: that speaker's clips are the test part.
    public static func leaveOneSpeakerOut(_ dataset: Dataset) throws -> [Fold] {
        let speakers = try speakerKeys(dataset)
        guard speakers.count >= 2 else { throw DataError("leave-one-speaker-out needs at least 2 speakers; found \(speakers.count)") }
        return speakers.map { speaker in
            Fold(name: speaker, train: dataset.clips.indices.filter { dataset.clips[$0].speakerKey != speaker },
                 test: dataset.clips.indices.filter { dataset.clips[$0].speakerKey == speaker })
        }
    }

    /// Per class, the units a random split deals out: single rows, except that byte-identical
    /// clips form one unit (filed under the class of its first row).
    private static func unitsByClass(_ dataset: Dataset) -> [[[Int]]] {
        var units = [[[Int]]](repeating: [], count: dataset.classes.count)
        var unitOf: [String: (label: Int, index: Int)] = [:]
        for (row, label) in dataset.labels.enumerated() {
            let key = dataset.clips[row].contentKey
            if let existing = unitOf[key] {
                units[existing.label][existing.index].append(row)
            } else {
                unitOf[key] = (label, units[label].count)
                units[label].append([row])
            }
        }
        return units
    }

    /// Sorted speaker keys; fails when speakers are unknown (folder layouts name none).
    static func speakerKeys(_ dataset: Dataset) throws -> [String] {
        let unknown = dataset.clips.filter { $0.speaker == "unknown" }
        if let first = unknown.first {
            throw DataError("\(unknown.count) clips have no known speaker (e.g. \(first.path)); "
                            + "speaker-based splits need a corpus whose names identify speakers")
        }
        return Set(dataset.clips.map(\.speakerKey)).sorted()
    }

    private static func sorted(_ split: Split) -> Split {
        Split(train: split.train.sorted(), validation: split.validation.sorted(), test: split.test.sorted())
    }
}
