import EngineFormats
import EngineTensor
import EngineAudio

/// How classes are numbered: `label` is the position of a clip's emotion in the class list.
public enum ClassOrder: Sendable, Equatable {
    /// The vocabulary's declaration order (neutral, calm, happy, sad, angry, fearful, disgust,
    /// surprised, boredom); for RAVDESS this is the file code minus one.
    case vocabulary
    /// The notebooks' order: surprised first (class 0), then the vocabulary order.
    case notebook
    /// Exactly these classes in this order.
    case custom([Emotion])

    /// Orders `present` emotions; a custom order must name every present emotion.
    func arrange(_ present: Set<Emotion>) throws -> [Emotion] {
        switch self {
        case .vocabulary:
            return present.sorted()
        case .notebook:
            return present.sorted { ($0 == .surprised ? -1 : $0.rank) < ($1 == .surprised ? -1 : $1.rank) }
        case .custom(let order):
            let missing = present.subtracting(order).sorted()
            guard missing.isEmpty else {
                throw DataError("class order \(order.map(\.rawValue)) does not include "
                                + missing.map(\.rawValue).joined(separator: ", "))
            }
            guard Set(order).count == order.count else { throw DataError("class order \(order.map(\.rawValue)) repeats a class") }
            return order
        }
    }
}

/// A table of labelled clips with a class list; `labels[i]` is the class index of `clips[i]`.
///
/// Filtering and subsetting keep the class list (so splits share one numbering); selecting,
/// merging and reordering classes renumber.
public struct Dataset: Sendable, Equatable {
    /// The rows.
    public private(set) var clips: [Clip]
    /// Class list: `classes[label]` is the emotion of that class index.
    public private(set) var classes: [Emotion]
    /// Class index per clip.
    public private(set) var labels: [Int]

    /// Makes a dataset; the class list is the emotions present arranged by `order`.
    public init(clips: [Clip], order: ClassOrder = .vocabulary) throws {
        let classes = try order.arrange(Set(clips.map(\.emotion)))
        try self.init(clips: clips, classes: classes)
    }

    /// Makes a dataset with an explicit class list; every clip's emotion must be in it.
    public init(clips: [Clip], classes: [Emotion]) throws {
        guard Set(classes).count == classes.count else {
            throw DataError("class list \(classes.map(\.rawValue)) names a class twice")
        }
        let index = Dictionary(classes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var labels: [Int] = []
        labels.reserveCapacity(clips.count)
        for clip in clips {
            guard let label = index[clip.emotion] else {
                throw DataError("\(clip.path): emotion '\(clip.emotion.rawValue)' is not among the classes "
                                + classes.map(\.rawValue).joined(separator: ", "))
            }
            labels.append(label)
        }
        self.clips = clips
        self.classes = classes
        self.labels = labels
    }

    /// Number of clips.
    public var count: Int { clips.count }
    /// Class names in label order.
    public var classNames: [String] { classes.map(\.rawValue) }

    /// The value of `column` in row `index` as text (absent values read "n/a").
    public func value(_ column: DatasetColumn, at index: Int) -> String {
        guard clips.indices.contains(index) else { return "n/a" }
        let clip = clips[index]
        switch column {
        case .path: return clip.path
        case .emotion: return clip.emotion.rawValue
        case .label: return String(labels[index])
        case .speaker: return clip.speakerKey
        case .gender: return clip.gender.rawValue
        case .intensity: return clip.intensity ?? "n/a"
        case .statement: return clip.statement ?? "n/a"
        case .corpus: return clip.corpus
        }
    }

    /// The column's values for every row.
    public func column(_ column: DatasetColumn) -> [String] { clips.indices.map { value(column, at: $0) } }

    /// Rows for which `isIncluded` holds; the class list is kept.
    public func filter(_ isIncluded: (Clip) -> Bool) -> Dataset {
        subsetUnchecked(clips.indices.filter { isIncluded(clips[$0]) })
    }

    /// Rows whose `column` value is one of `values`; the class list is kept.
    public func filter(_ column: DatasetColumn, in values: [String]) -> Dataset {
        let wanted = Set(values)
        return subsetUnchecked(clips.indices.filter { wanted.contains(value(column, at: $0)) })
    }

    /// Clips per value of `column`: emotions in class order (absent classes with 0), other
    /// columns in ascending order of value. Feeds bar charts.
    public func counts(by column: DatasetColumn) -> [(value: String, count: Int)] {
        var tally: [String: Int] = [:]
        for index in clips.indices { tally[value(column, at: index), default: 0] += 1 }
        if column == .emotion {
            return classes.map { ($0.rawValue, tally[$0.rawValue] ?? 0) }
        }
        if column == .label {
            return classes.indices.map { (String($0), tally[String($0)] ?? 0) }
        }
        return tally.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }.map { ($0, tally[$0] ?? 0) }
    }

    /// Only clips of `emotions`, renumbered in the given order.
    public func selecting(_ emotions: [Emotion]) throws -> Dataset {
        let wanted = Set(emotions)
        return try Dataset(clips: clips.filter { wanted.contains($0.emotion) }, classes: emotions)
    }

    /// Relabels emotions by `mapping` (e.g. calm → neutral); the class list follows the old
    /// order with merged classes taking the first position of any of their sources.
    public func merging(_ mapping: [Emotion: Emotion]) throws -> Dataset {
        var merged: [Emotion] = []
        for emotion in classes.map({ mapping[$0] ?? $0 }) where !merged.contains(emotion) { merged.append(emotion) }
        let relabelled = clips.map { clip -> Clip in
            var copy = clip
            copy.emotion = mapping[clip.emotion] ?? clip.emotion
            return copy
        }
        return try Dataset(clips: relabelled, classes: merged)
    }

    /// The same rows with classes renumbered by `order`.
    public func ordered(_ order: ClassOrder) throws -> Dataset {
        let present = Set(classes)
        return try Dataset(clips: clips, classes: order.arrange(present))
    }

    /// The rows at `indices` (in that order, repeats allowed), with the class list kept.
    public func subset(_ indices: [Int]) throws -> Dataset {
        if let bad = indices.first(where: { !clips.indices.contains($0) }) {
            throw DataError("row \(bad) is out of range for a dataset of \(count) clips")
        }
        return subsetUnchecked(indices)
    }

    /// Joins datasets (e.g. several corpora); the class list is the union arranged by `order`.
    public static func concatenating(_ parts: [Dataset], order: ClassOrder = .vocabulary) throws -> Dataset {
        try Dataset(clips: parts.flatMap(\.clips), order: order)
    }

    /// A printable summary: sizes, corpora, speakers and clips per class by gender.
    public func summary() -> String {
        let speakers = Set(clips.map(\.speakerKey)).count
        let corpora = Set(clips.map(\.corpus)).sorted().joined(separator: ", ")
        var byClass = [[Int]](repeating: [0, 0, 0], count: classes.count)
        for (clip, label) in zip(clips, labels) {
            byClass[label][clip.gender == .male ? 0 : clip.gender == .female ? 1 : 2] += 1
        }
        let rows = classes.indices.map { label -> [String] in
            let total = byClass[label].reduce(0, +)
            return [String(label), classes[label].rawValue, String(total), String(byClass[label][0]),
                    String(byClass[label][1]), percent(count == 0 ? 0 : Double(total) / Double(count))]
        }
        let table = TextTable(header: ["label", "emotion", "clips", "male", "female", "share"], rows: rows,
                              rightAligned: [0, 2, 3, 4, 5])
        return "\(count) clips, \(speakers) speakers, \(classes.count) classes; corpora: \(corpora.isEmpty ? "none" : corpora)\n\(table)"
    }

    private func subsetUnchecked(_ indices: [Int]) -> Dataset {
        var copy = self
        copy.clips = indices.map { clips[$0] }
        copy.labels = indices.map { labels[$0] }
        return copy
    }
}
