import EngineFormats
import EngineTensor
import EngineAudio

/// The one emotion vocabulary shared by every corpus. Declaration order is the default class order.
public enum Emotion: String, CaseIterable, Sendable, Comparable, Codable {
    case neutral, calm, happy, sad, angry, fearful, disgust, surprised, boredom

    /// Maps a label as corpora and folder layouts spell it ("ANG", "fear", "ps", "Disgusted",
    /// "pleasant_surprise", …), in any case and with the misspellings found in shared corpora
    /// (the notebooks' `Combined/Emotions/Suprised`), onto the vocabulary; `nil` when the name means
    /// nothing known.
    public static func named(_ name: String) -> Emotion? {
        let key = name.lowercased().filter { $0.isLetter }
        return synonyms[key]
    }

    /// Position in the declaration order.
    public var rank: Int { Emotion.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: Emotion, rhs: Emotion) -> Bool { lhs.rank < rhs.rank }

    private static let synonyms: [String: Emotion] = {
        var table: [String: Emotion] = [:]
        let spellings: [Emotion: [String]] = [
            .neutral: ["neutral", "neu", "neutrality", "nuetral"],
            .calm: ["calm"],
            .happy: ["happy", "hap", "happiness", "joy", "happily"],
            .sad: ["sad", "sadness"],
            .angry: ["angry", "ang", "anger"],
            .fearful: ["fearful", "fea", "fear", "afraid", "anxiety", "fearfull"],
            .disgust: ["disgust", "dis", "disgusted"],
            .surprised: ["surprised", "surprise", "sur", "ps", "pleasantsurprise", "pleasantsurprised",
                         "suprised", "suprise", "surprized", "surpised"],
            .boredom: ["boredom", "bored"],
        ]
        for (emotion, names) in spellings { for name in names { table[name] = emotion } }
        return table
    }()
}

/// A speaker's gender as the corpora document it.
public enum Gender: String, Sendable, Codable {
    case male, female, unknown

    /// Maps a gender as metadata tables spell it ("M", "male", "Female", "w", …) onto the enum;
    /// an empty cell, "unknown", "u" or "n/a" is `.unknown`; `nil` when the name means nothing known.
    public static func named(_ name: String) -> Gender? {
        switch name.lowercased().filter({ $0.isLetter }) {
        case "m", "male", "man", "men": return .male
        case "f", "female", "woman", "women", "w": return .female
        case "", "unknown", "u", "na", "none": return .unknown
        default: return nil
        }
    }
}
