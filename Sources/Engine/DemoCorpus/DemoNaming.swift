import EngineTensor
import EngineAudio

/// File names and folders of a demo clip in each corpus layout.
enum DemoNaming {
    /// Path of `clip` relative to the corpus folder. `take` numbers the clip among those of the same
    /// speaker and emotion (1-based), which SAVEE's names need.
    static func relativePath(of clip: DemoClip, naming: DemoCorpusNaming, take: Int) -> String {
        let actor = clip.speaker.actor
        switch naming {
        case .ravdess:
            return "Actor_\(twoDigits(actor))/" + ravdessName(clip)
        case .folders:
            return "\(folderName(clip.emotion))/" + ravdessName(clip)
        case .savee:
            return "\(saveeSpeaker(clip.speaker))_\(saveeCode(clip.emotion))\(twoDigits(take)).wav"
        case .tess:
            let speaker = tessSpeaker(clip.speaker), emotion = tessWord(clip.emotion)
            let word = "\(DemoStatement.word(of: clip.statement))-i\(clip.intensity)r\(clip.repetition)"
            return "\(speaker)_\(emotion)/\(speaker)_\(word)_\(emotion).wav"
        case .cremad:
            let sentence = cremaSentence(statement: clip.statement, repetition: clip.repetition)
            return "\(cremaSpeaker(clip.speaker))_\(sentence)_\(cremaCode(clip.emotion))_\(cremaLevel(clip)).wav"
        }
    }

    /// `03-01-EE-II-SS-RR-AA.wav`: modality audio-only, vocal channel speech.
    private static func ravdessName(_ clip: DemoClip) -> String {
        let fields = [3, 1, clip.emotion.rawValue, clip.intensity, clip.statement, clip.repetition, clip.speaker.actor]
        return fields.map(twoDigits).joined(separator: "-") + ".wav"
    }

    /// The combined corpus's folder names (`Combined/Emotions/Disgusted`, …).
    private static func folderName(_ emotion: DemoEmotion) -> String {
        switch emotion {
        case .angry: return "Angry"
        case .disgust: return "Disgusted"
        case .fearful: return "Fearful"
        case .happy: return "Happy"
        case .neutral, .calm: return "Neutral"
        case .sad: return "Sad"
        case .surprised: return "Surprised"
        }
    }

    /// CREMA-D's twelve sentence codes, the first six for statement 1, the others for statement 2.
    private static let cremaSentences = ["DFA", "IEO", "IOM", "ITH", "ITS", "IWL", "IWW", "MTI", "TAI", "TIE", "TSI", "WSI"]
    /// Most repetitions a CREMA-D-named corpus can tell apart (each needs its own sentence code).
    static let cremaMaxRepetitions = cremaSentences.count / 2

    /// A real sentence code per statement × repetition, so that the CREMA-D indexer accepts the names.
    private static func cremaSentence(statement: Int, repetition: Int) -> String {
        cremaSentences[((statement - 1) * cremaMaxRepetitions + repetition - 1) % cremaSentences.count]
    }

    /// A CREMA-D actor id whose published gender (the one the indexer reads) matches the voice:
    /// the k-th male demo speaker gets the k-th male id of 1001…1091, likewise for female.
    static func cremaSpeaker(_ speaker: DemoSpeaker) -> Int {
        let ids = (1001...1091).filter { CREMADNaming.femaleActors.contains($0) == speaker.isFemale }
        return ids[(speaker.actor - 1) / 2 % ids.count]
    }

    private static func twoDigits(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    /// Two-letter SAVEE speaker prefixes. The real corpus's four (DC, JE, JK, KL) are male, so only
    /// male voices take them; female voices take demo prefixes, which the indexer leaves ungendered
    /// rather than mislabel.
    private static func saveeSpeaker(_ speaker: DemoSpeaker) -> String {
        let codes = speaker.isFemale ? ["EF", "GH", "IJ", "MN", "OP", "QR"] : ["DC", "JE", "JK", "KL", "AB", "CD"]
        return codes[(speaker.actor - 1) / 2 % codes.count]
    }

    // Emotions a layout cannot name (calm here) are filtered out by `DemoCorpusNaming.emotions` first.
    private static func saveeCode(_ emotion: DemoEmotion) -> String {
        switch emotion {
        case .angry: return "a"
        case .disgust: return "d"
        case .fearful: return "f"
        case .happy: return "h"
        case .neutral, .calm: return "n"
        case .sad: return "sa"
        case .surprised: return "su"
        }
    }

    /// TESS-style speaker codes `D01M`, `D02F`, … (demo speaker, actor number, gender).
    private static func tessSpeaker(_ speaker: DemoSpeaker) -> String {
        "D\(twoDigits(speaker.actor))\(speaker.isFemale ? "F" : "M")"
    }

    private static func tessWord(_ emotion: DemoEmotion) -> String {
        switch emotion {
        case .angry: return "angry"
        case .disgust: return "disgust"
        case .fearful: return "fear"
        case .happy: return "happy"
        case .neutral, .calm: return "neutral"
        case .sad: return "sad"
        case .surprised: return "ps"
        }
    }

    private static func cremaCode(_ emotion: DemoEmotion) -> String {
        switch emotion {
        case .angry: return "ANG"
        case .disgust: return "DIS"
        case .fearful: return "FEA"
        case .happy: return "HAP"
        case .neutral, .calm, .surprised: return "NEU"
        case .sad: return "SAD"
        }
    }

    /// CREMA-D's level field: XX for neutral (unspecified), MD for normal, HI for strong.
    private static func cremaLevel(_ clip: DemoClip) -> String {
        clip.emotion == .neutral ? "XX" : (clip.intensity == 2 ? "HI" : "MD")
    }
}
