import EngineFormats
import EngineTensor
import EngineAudio

/// The eight RAVDESS emotions, with RAVDESS's codes (01 neutral … 08 surprised) as raw values.
public enum DemoEmotion: Int, CaseIterable, Codable, Sendable {
    case neutral = 1, calm, happy, sad, angry, fearful, disgust, surprised

    /// Lower-case English name, as RAVDESS documents it.
    public var name: String {
        switch self {
        case .neutral: return "neutral"
        case .calm: return "calm"
        case .happy: return "happy"
        case .sad: return "sad"
        case .angry: return "angry"
        case .fearful: return "fearful"
        case .disgust: return "disgust"
        case .surprised: return "surprised"
        }
    }
}

/// The file-naming scheme of a generated corpus: one of the public corpora's layouts.
public enum DemoCorpusNaming: String, CaseIterable, Codable, Sendable {
    /// `Actor_NN/03-01-EE-II-SS-RR-NN.wav`, all 8 emotions.
    case ravdess
    /// `DC_a01.wav` (flat), 7 emotions (no calm).
    case savee
    /// `OAF_angry/OAF_back_angry.wav`-style per speaker-emotion folders, 7 emotions (no calm).
    case tess
    /// `1001_DFA_ANG_XX.wav` (flat) plus `VideoDemographics.csv`, 6 emotions (no calm, no surprise).
    case cremad
    /// One folder per emotion, as the notebooks' combined corpus (`Combined/Emotions/Angry/…`):
    /// `Angry/03-01-05-01-01-01-01.wav` (RAVDESS names inside), 7 emotions (no calm).
    case folders

    /// The emotions this corpus layout can name.
    public var emotions: [DemoEmotion] {
        switch self {
        case .ravdess: return DemoEmotion.allCases
        case .savee, .tess, .folders: return DemoEmotion.allCases.filter { $0 != .calm }
        case .cremad: return DemoEmotion.allCases.filter { $0 != .calm && $0 != .surprised }
        }
    }
}

/// What `DemoCorpus.generate` makes. The defaults give the full corpus: 12 speakers × 60 clips.
public struct DemoCorpusOptions: Codable, Equatable, Sendable {
    /// Seed of every random choice; the same options give byte-identical files.
    public var seed: UInt64 = 1
    /// How many of the built-in voices speak, 1…12 (odd actors male, even female).
    public var speakers: Int = DemoSpeaker.all.count
    /// File-naming scheme.
    public var naming: DemoCorpusNaming = .ravdess
    /// Emotions to render; those the naming scheme cannot express are left out.
    public var emotions: [DemoEmotion] = DemoEmotion.allCases
    /// RAVDESS statement numbers to speak: 1 "Kids are talking by the door", 2 "Dogs are sitting by the door".
    public var statements: [Int] = [1, 2]
    /// Repetitions of each statement, 1…9.
    public var repetitions: Int = 2
    /// Synthesis jobs run at once (not part of the result, so not recorded in the manifest).
    public var workers: Int = 2

    /// The full default corpus.
    public init() {}

    /// Options with the given seed, speaker count and naming; everything else default.
    public init(seed: UInt64, speakers: Int = DemoSpeaker.all.count, naming: DemoCorpusNaming = .ravdess) {
        self.seed = seed
        self.speakers = speakers
        self.naming = naming
    }

    private enum CodingKeys: String, CodingKey {
        case seed, speakers, naming, emotions, statements, repetitions
    }

    /// Checks every field, naming the one at fault.
    func validate() throws {
        guard (1...DemoSpeaker.all.count).contains(speakers) else {
            throw DemoCorpusError.invalidOption("speakers must lie in 1…\(DemoSpeaker.all.count), got \(speakers)")
        }
        guard !renderedEmotions.isEmpty else {
            throw DemoCorpusError.invalidOption("no emotion left to render: asked for "
                + emotions.map(\.name).joined(separator: ", ") + ", \(naming.rawValue) naming supports "
                + naming.emotions.map(\.name).joined(separator: ", "))
        }
        guard !statements.isEmpty, statements.allSatisfy({ DemoStatement.text(of: $0) != nil }) else {
            throw DemoCorpusError.invalidOption("statements must be a non-empty list of 1 and/or 2, got \(statements)")
        }
        guard (1...9).contains(repetitions) else {
            throw DemoCorpusError.invalidOption("repetitions must lie in 1…9, got \(repetitions)")
        }
        guard naming != .cremad || repetitions <= DemoNaming.cremaMaxRepetitions else {
            throw DemoCorpusError.invalidOption("cremad naming tells at most \(DemoNaming.cremaMaxRepetitions) repetitions apart, got \(repetitions)")
        }
        guard workers >= 1 else { throw DemoCorpusError.invalidOption("workers must be at least 1, got \(workers)") }
    }

    /// The requested emotions this naming can express, in RAVDESS order, without duplicates.
    var renderedEmotions: [DemoEmotion] {
        naming.emotions.filter { emotions.contains($0) }
    }
}

/// How far a generation has got, reported after each written file.
public struct DemoCorpusProgress: Sendable {
    /// Files written so far.
    public var completed: Int
    /// Files the generation will write.
    public var total: Int
    /// Path of the file just written, relative to the corpus folder.
    public var file: String
}

/// Why a demo corpus could not be generated.
public enum DemoCorpusError: Error, CustomStringConvertible {
    case invalidOption(String)
    case espeakMissing
    case voiceMissing(voice: String)
    case espeakFailed(command: String, status: Int32, message: String)
    case badSynthesis(voice: String, reason: String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidOption(let reason):
            return "demo corpus: " + reason
        case .espeakMissing:
            return "demo corpus: espeak-ng not found on PATH; install the Debian package espeak-ng "
                + "(scripts/setup.sh does)"
        case .voiceMissing(let voice):
            return "demo corpus: espeak-ng has no voice variant for '\(voice)' (see `espeak-ng --voices=variant`)"
        case .espeakFailed(let command, let status, let message):
            return "demo corpus: `\(command)` exited with status \(status): \(message)"
        case .badSynthesis(let voice, let reason):
            return "demo corpus: espeak-ng output for voice \(voice) unusable: \(reason)"
        case .cannotWrite(let path, let reason):
            return "demo corpus: cannot write \(path): \(reason)"
        }
    }
}
