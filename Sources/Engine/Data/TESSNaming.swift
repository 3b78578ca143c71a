/// TESS: `OAF_back_angry` — speaker (OAF older, YAF younger; both female), target word, emotion
/// (angry, disgust, fear, happy, neutral, ps = pleasant surprise, sad).
enum TESSNaming {
    static let emotions: [String: Emotion] = [
        "angry": .angry, "disgust": .disgust, "fear": .fearful, "happy": .happy,
        "neutral": .neutral, "ps": .surprised, "sad": .sad,
    ]

    static func clip(path: String, relative: [String]) throws -> Clip {
        let fields = stem(relative).split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 3 else { throw NamingError("expected three fields SPEAKER_WORD_EMOTION") }
        let speaker = fields[0].uppercased()
        guard speaker == "OAF" || speaker == "YAF" else { throw NamingError("speaker '\(fields[0])' is not OAF or YAF") }
        guard !fields[1].isEmpty else { throw NamingError("the word field is empty") }
        guard let emotion = emotions[fields[2].lowercased()] else {
            throw NamingError("emotion '\(fields[2])' is not angry, disgust, fear, happy, neutral, ps or sad")
        }
        return Clip(path: path, emotion: emotion, speaker: speaker, gender: .female,
                    statement: fields[1].lowercased(), corpus: Corpus.tess.displayName)
    }
}
