import EngineTensor
import EngineAudio

/// Berlin EmoDB: `03a01Fa` — speaker (2 digits), text code (a01…b10), emotion letter of the German
/// word (W Wut anger, L Langeweile boredom, E Ekel disgust, A Angst fear, F Freude happiness,
/// T Trauer sadness, N neutral), version letter.
enum EmoDBNaming {
    package static let emotions: [Character: Emotion] = [
        "W": .angry, "L": .boredom, "E": .disgust, "A": .fearful, "F": .happy, "T": .sad, "N": .neutral,
    ]
    /// Speaker genders as the corpus documentation lists them.
    static let genders: [String: Gender] = [
        "03": .male, "08": .female, "09": .female, "10": .male, "11": .male,
        "12": .male, "13": .female, "14": .female, "15": .male, "16": .female,
    ]

    package static func clip(path: String, relative: [String]) throws -> Clip {
        let name = Array(stem(relative))
        guard name.count == 7 else { throw NamingError("expected seven characters such as 03a01Fa") }
        let speaker = String(name[0..<2])
        let text = String(name[2..<5])
        guard speaker.allSatisfy(\.isASCIIDigit) else { throw NamingError("speaker '\(speaker)' is not two digits") }
        guard let gender = genders[speaker] else { throw NamingError("speaker \(speaker) is not one of EmoDB's ten") }
        guard name[2] == "a" || name[2] == "b", name[3].isASCIIDigit, name[4].isASCIIDigit else {
            throw NamingError("text code '\(text)' is not a or b followed by two digits")
        }
        guard let emotion = emotions[name[5]] else {
            throw NamingError("emotion letter '\(name[5])' is not W, L, E, A, F, T or N")
        }
        guard name[6].isLowercase, name[6].isLetter else { throw NamingError("version '\(name[6])' is not a lowercase letter") }
        return Clip(path: path, emotion: emotion, speaker: speaker, gender: gender,
                    statement: text, corpus: Corpus.emodb.displayName)
    }
}
