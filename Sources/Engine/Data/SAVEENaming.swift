import EngineTensor
import EngineAudio

/// SAVEE: `DC_a01` (or `a01` inside a `DC/` folder) — speaker DC, JE, JK or KL (all male), then
/// a anger, d disgust, f fear, h happiness, n neutral, sa sadness, su surprise, and a sentence number.
enum SAVEENaming {
    static let speakers: Set<String> = ["DC", "JE", "JK", "KL"]
    /// The further speaker prefixes of a SAVEE-named demo corpus with more than four voices
    /// (`serscript demo-corpus --naming savee`); their gender is not in the name.
    static let demoSpeakers: Set<String> = ["AB", "CD", "EF", "GH", "IJ", "MN", "OP", "QR"]
    package static let emotions: [String: Emotion] = [
        "a": .angry, "d": .disgust, "f": .fearful, "h": .happy, "n": .neutral, "sa": .sad, "su": .surprised,
    ]

    package static func clip(path: String, relative: [String]) throws -> Clip {
        let name = stem(relative)
        let fields = name.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        let speaker: String
        let code: String
        if fields.count == 2 {
            (speaker, code) = (fields[0], fields[1])
        } else if fields.count == 1, relative.count >= 2, let folder = relative.dropLast().last, speakers.contains(folder) {
            (speaker, code) = (folder, name)
        } else {
            throw NamingError("expected SPEAKER_CODE such as DC_a01 (or CODE inside a speaker folder)")
        }
        guard speakers.contains(speaker) || demoSpeakers.contains(speaker) else {
            throw NamingError("speaker '\(speaker)' is not DC, JE, JK or KL (or a demo corpus speaker AB, CD, …)")
        }
        let prefix = String(code.prefix { $0.isLetter })
        let number = code.dropFirst(prefix.count)
        guard let emotion = emotions[prefix] else {
            throw NamingError("emotion code '\(prefix)' is not a, d, f, h, n, sa or su")
        }
        guard number.count == 2, number.allSatisfy(\.isASCIIDigit) else {
            throw NamingError("sentence number '\(number)' is not two digits")
        }
        return Clip(path: path, emotion: emotion, speaker: speaker, gender: speakers.contains(speaker) ? .male : .unknown,
                    statement: code, corpus: Corpus.savee.displayName)
    }
}
