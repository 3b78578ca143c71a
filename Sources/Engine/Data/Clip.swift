import EngineFormats
import EngineAudio

/// One labelled recording: the row of a `Dataset`.
public struct Clip: Sendable, Equatable {
    /// Path of the audio file.
    public var path: String
    /// The emotion in the shared vocabulary.
    public var emotion: Emotion
    /// Speaker identifier, prefixed by nothing: unique within its corpus ("01", "1001", "OAF", "DC").
    public var speaker: String
    /// The speaker's gender.
    public var gender: Gender
    /// Intensity as the corpus names it ("normal"/"strong" in RAVDESS, "low"/"medium"/"high" in
    /// CREMA-D), or `nil` where the corpus has none.
    public var intensity: String?
    /// Sentence / text code, or `nil` where the corpus has none.
    public var statement: String?
    /// Corpus name ("RAVDESS", "CREMA-D", …).
    public var corpus: String
    /// For a file byte-identical to an earlier one of its corpus, that file's path (splits keep the
    /// two on one side); `nil` otherwise.
    public var identicalTo: String?

    /// Makes a clip row.
    public init(path: String, emotion: Emotion, speaker: String, gender: Gender,
                intensity: String? = nil, statement: String? = nil, corpus: String, identicalTo: String? = nil) {
        self.path = path
        self.emotion = emotion
        self.speaker = speaker
        self.gender = gender
        self.intensity = intensity
        self.statement = statement
        self.corpus = corpus
        self.identicalTo = identicalTo
    }

    /// Speaker qualified by corpus, so that speakers from combined corpora never collide.
    public var speakerKey: String { "\(corpus)/\(speaker)" }

    /// The same for clips with identical audio: the first such file's path.
    public var contentKey: String { identicalTo ?? path }
}

/// The columns of a `Dataset` table, usable for filtering, counting and correctness breakdowns.
public enum DatasetColumn: String, CaseIterable, Sendable {
    case path, emotion, label, speaker, gender, intensity, statement, corpus

    /// Parses a column name as scripts spell it (case-insensitive).
    public static func named(_ name: String) throws -> DatasetColumn {
        guard let column = DatasetColumn(rawValue: name.lowercased()) else {
            throw DataError("unknown dataset column '\(name)'; columns are "
                            + DatasetColumn.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return column
    }
}
