import EngineFormats
import EngineTensor
import EngineAudio

/// Cross-validation folds over groups of speakers: named groups (EmoBox's RAVDESS folds, explicit
/// lists) and a seeded group k-fold (e.g. leave-two-actors-out on eight actors).
extension Splits {
    /// EmoBox's six speaker-independent RAVDESS folds of four actors (Ma et al., Interspeech 2024).
    public static let emoboxRAVDESS: [[String]] = [["01", "11", "20", "21"], ["04", "10", "12", "14"], ["08", "09", "19", "23"],
                                                   ["03", "05", "07", "24"], ["02", "15", "16", "18"], ["06", "13", "17", "22"]]

    /// Folds made from named speaker groups, with what had to be left out.
    public struct SpeakerFoldPlan: Sendable, Equatable {
        /// One fold per group that has at least one of its speakers in the dataset.
        public var folds: [Fold]
        /// Per group (in the order given): the named speakers absent from the dataset.
        public var absent: [[String]]
        /// 1-based numbers of the groups without any speaker present (no fold made).
        public var skipped: [Int]
    }

    /// One fold per group of speaker names ("01" or "RAVDESS/01"): the clips of the group's speakers
    /// that are present form the test part, every other clip the training part. Groups whose
    /// speakers are all absent are skipped (a corpus may hold only some actors); a speaker named in
    /// two groups is an error.
    public static func speakerFolds(_ dataset: Dataset, groups: [[String]]) throws -> SpeakerFoldPlan {
        let known = try speakerKeys(dataset)
        var plan = SpeakerFoldPlan(folds: [], absent: [], skipped: [])
        var seen: [String: Int] = [:]
        for (index, group) in groups.enumerated() {
            var present: [String] = [], absent: [String] = []
            for name in group {
                let matches = known.filter { $0 == name || $0.hasSuffix("/" + name) }
                if matches.isEmpty { absent.append(name) }
                for key in matches {
                    if let other = seen[key], other != index {
                        throw DataError("speaker \(key) is named in fold \(other + 1) and fold \(index + 1)")
                    }
                    seen[key] = index
                    present.append(key)
                }
            }
            plan.absent.append(absent)
            guard !present.isEmpty else {
                plan.skipped.append(index + 1)
                continue
            }
            plan.folds.append(fold(dataset, named: "fold \(index + 1)", testSpeakers: Set(present)))
        }
        guard plan.folds.count >= 1 else {
            throw DataError("none of the speakers named in the folds is in the dataset; its speakers are " + known.joined(separator: ", "))
        }
        return plan
    }

    /// Speaker-grouped k-fold: the speakers, permuted with the seed, are dealt round-robin into k
    /// groups; fold i tests on group i (eight speakers and k = 4 is leave-two-speakers-out).
    public static func groupKFold(_ dataset: Dataset, k: Int, seed: UInt64) throws -> [Fold] {
        var speakers = try speakerKeys(dataset)
        guard k >= 2, k <= speakers.count else {
            throw DataError("group k-fold needs 2 ≤ k ≤ \(speakers.count) speakers; got k = \(k)")
        }
        RandomGenerator(seed: seed).shuffle(&speakers)
        return (0..<k).map { group in
            let members = stride(from: group, to: speakers.count, by: k).map { speakers[$0] }
            return fold(dataset, named: "fold \(group + 1)", testSpeakers: Set(members))
        }
    }

    /// The fold testing on `testSpeakers`, named with their short names: "fold 2 (04, 10)".
    private static func fold(_ dataset: Dataset, named name: String, testSpeakers: Set<String>) -> Fold {
        let short = testSpeakers.sorted().map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        return Fold(name: "\(name) (\(short.joined(separator: ", ")))",
                    train: dataset.clips.indices.filter { !testSpeakers.contains(dataset.clips[$0].speakerKey) },
                    test: dataset.clips.indices.filter { testSpeakers.contains(dataset.clips[$0].speakerKey) })
    }
}
