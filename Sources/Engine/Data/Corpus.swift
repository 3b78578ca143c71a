import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// The corpora serscript can index: from their published file naming rules, or (`manifest`) from
/// a CSV that lists each file with its labels.
public enum Corpus: String, CaseIterable, Sendable {
    /// RAVDESS speech (`03-01-…`) and song (`03-02-…`) files in `Actor_NN/` folders.
    case ravdess
    /// CREMA-D `1001_DFA_ANG_XX.wav`.
    case cremad
    /// TESS `OAF_back_angry.wav`.
    case tess
    /// SAVEE `DC_a01.wav` (or `DC/a01.wav`).
    case savee
    /// Berlin EmoDB `03a01Fa.wav`.
    case emodb
    /// One folder per emotion ("Combined"): the label is the name of the folder holding the file.
    case folders
    /// A metadata CSV listing each audio file with its emotion and optionally speaker, gender,
    /// intensity, statement and corpus (see `ManifestReader`); `index(root:)` takes the CSV's path.
    case manifest

    /// Parses a corpus name as scripts spell it ("RAVDESS", "crema-d", "EmoDB", "combined", …).
    public static func named(_ name: String) throws -> Corpus {
        let key = name.lowercased().filter { $0.isLetter }
        if let corpus = Corpus(rawValue: key) { return corpus }
        if key == "combined" || key == "folder" { return .folders }
        if key == "csv" { return .manifest }
        throw DataError("unknown corpus '\(name)'; known corpora are ravdess, cremad, tess, savee, emodb, folders, manifest")
    }

    /// The name written in the `corpus` column.
    public var displayName: String {
        switch self {
        case .ravdess: return "RAVDESS"
        case .cremad: return "CREMA-D"
        case .tess: return "TESS"
        case .savee: return "SAVEE"
        case .emodb: return "EmoDB"
        case .folders: return "folders"
        case .manifest: return "manifest"
        }
    }

    /// Indexes every audio file under `root` by this corpus's naming rule; for `.manifest`,
    /// `root` is the CSV file and its rows are the index.
    public func index(root: String, options: CorpusOptions = CorpusOptions()) throws -> IndexedCorpus {
        if self == .manifest { return try ManifestReader(csv: root, options: options).run() }
        return try CorpusWalk(corpus: self, root: root, options: options).run()
    }

    /// Reads one file's labels from its path relative to the corpus root (folders, then file name).
    package func clip(path: String, relative: [String], options: CorpusOptions) throws -> Clip {
        switch self {
        case .ravdess: return try RAVDESSNaming.clip(path: path, relative: relative, channels: options.ravdessChannels)
        case .cremad: return try CREMADNaming.clip(path: path, relative: relative)
        case .tess: return try TESSNaming.clip(path: path, relative: relative)
        case .savee: return try SAVEENaming.clip(path: path, relative: relative)
        case .emodb: return try EmoDBNaming.clip(path: path, relative: relative)
        case .folders: return try FolderNaming.clip(path: path, relative: relative)
        case .manifest: throw NamingError("a manifest labels files by its CSV rows, not by their names")
        }
    }
}

/// What to do with a file whose name does not follow the corpus's rule (or a manifest row whose
/// labels do not parse or whose file is missing).
public enum UnparsableFilePolicy: String, Sendable {
    /// Stop with an error naming the file, or the manifest's file and line (the default).
    case fail
    /// Leave it out and report it in `IndexedCorpus.skipped`.
    case skip
}

/// The RAVDESS vocal channels.
public enum RAVDESSChannel: String, Sendable, CaseIterable {
    case speech, song
}

/// Options for indexing a corpus.
public struct CorpusOptions: Sendable {
    /// Files whose names do not parse: error or skip with a warning.
    public var onUnparsable: UnparsableFilePolicy
    /// Keep RAVDESS `calm` as its own class, or merge it into `neutral`.
    public var mergeCalmIntoNeutral: Bool
    /// Keep only these emotions (in this class order); `nil` keeps all.
    public var emotions: [Emotion]?
    /// Class numbering when `emotions` is `nil`.
    public var order: ClassOrder
    /// RAVDESS channels to keep; files of other channels are left out silently.
    public var ravdessChannels: Set<RAVDESSChannel>

    /// Options with the defaults: fail on unparsable names, keep calm, all emotions in
    /// vocabulary order, RAVDESS speech and song.
    public init(onUnparsable: UnparsableFilePolicy = .fail, mergeCalmIntoNeutral: Bool = false,
                emotions: [Emotion]? = nil, order: ClassOrder = .vocabulary,
                ravdessChannels: Set<RAVDESSChannel> = [.speech, .song]) {
        self.onUnparsable = onUnparsable
        self.mergeCalmIntoNeutral = mergeCalmIntoNeutral
        self.emotions = emotions
        self.order = order
        self.ravdessChannels = ravdessChannels
    }

    /// Applies `onUnparsable` to one rejected file: throws `message`, or records the file as skipped.
    func reject(_ file: SkippedFile, message: String, skipped: inout [SkippedFile]) throws {
        guard onUnparsable == .skip else { throw DataError(message) }
        skipped.append(file)
    }
}

/// A file left out of an index, with the reason.
public struct SkippedFile: Sendable, Equatable, CustomStringConvertible {
    /// The file, or for a manifest the CSV's path and line (`labels.csv:7`).
    public var path: String
    /// Why its name (or manifest row) did not parse.
    public var reason: String
    public var description: String { "skipped \(path): \(reason)" }
}

/// The result of indexing a corpus: the clip table and any files skipped on request.
public struct IndexedCorpus: Sendable {
    /// The clips, labelled.
    public var dataset: Dataset
    /// Files left out because their names did not parse (only with `UnparsableFilePolicy.skip`).
    public var skipped: [SkippedFile]
    /// Groups of byte-identical audio files among the indexed ones (splits keep each group together).
    public var identical: [[String]]

    /// The table of `clips` with the options' class order, calm merge and emotion selection applied.
    init(clips: [Clip], skipped: [SkippedFile], options: CorpusOptions) throws {
        var dataset = try Dataset(clips: clips, order: options.order)
        if options.mergeCalmIntoNeutral { dataset = try dataset.merging([.calm: .neutral]).ordered(options.order) }
        if let emotions = options.emotions { dataset = try dataset.selecting(emotions) }
        // Among the clips kept: copies of a clip left out do not matter.
        let marked = IdenticalAudio.marked(dataset.clips)
        identical = marked.groups
        self.dataset = marked.groups.isEmpty ? dataset : try Dataset(clips: marked.clips, classes: dataset.classes)
        self.skipped = skipped
    }
}

/// Why one file name does not follow its corpus's rule, or one manifest row cannot be read
/// (wrapped with the path, or the CSV's file and line, by the caller).
struct NamingError: Error {
    package var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// A file whose labels are out of scope by request (e.g. a song file when only speech is wanted).
struct ExcludedFile: Error {}
