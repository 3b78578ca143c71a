import EngineTensor
import EngineAudio

/// TESS: `OAF_back_angry` — speaker (OAF older, YAF younger; both female), target word, emotion
/// (angry, disgust, fear, happy, neutral, ps = pleasant surprise, sad).
enum TESSNaming {
    package static let emotions: [String: Emotion] = [
        "angry": .angry, "disgust": .disgust, "fear": .fearful, "happy": .happy,
        "neutral": .neutral, "ps": .surprised, "sad": .sad,
    ]

    package static func clip(path: String, relative: [String]) throws -> Clip {
        let fields = stem(relative).split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3 else { throw NamingError("expected three fields SPEAKER_WORD_EMOTION") }
        let speaker = fields[0].uppercased()
        guard let gender = gender(of: speaker) else {
            throw NamingError("speaker '\(fields[0])' is not OAF or YAF (or a demo corpus speaker such as D01M)")
        }
        guard !fields[1].isEmpty else { throw NamingError("the word field is empty") }
        guard let emotion = emotions[fields[2].lowercased()] else {
            throw NamingError("emotion '\(fields[2])' is not angry, disgust, fear, happy, neutral, ps or sad")
        }
        return Clip(path: path, emotion: emotion, speaker: speaker, gender: gender,
                    statement: fields[1].lowercased(), corpus: Corpus.tess.displayName)
    }

    /// OAF and YAF are female; the demo corpus's TESS-named speakers `D<two digits><M|F>` carry
    /// their gender in the last letter. Anything else is not a TESS speaker.
    private static func gender(of speaker: String) -> Gender? {
        if speaker == "OAF" || speaker == "YAF" { return .female }
        let characters = Array(speaker)
        guard characters.count == 4, characters[0] == "D", characters[1].isASCIIDigit, characters[2].isASCIIDigit else { return nil }
        switch characters[3] {
        case "M": return .male
        case "F": return .female
        default: return nil
        }
    }
}
