import EngineTensor
import EngineAudio

/// CREMA-D: `1001_DFA_ANG_XX` — actor 1001…1091, sentence code, emotion, level (LO, MD, HI, XX).
/// Gender comes from the corpus's published demographics (VideoDemographics.csv).
enum CREMADNaming {
    package static let emotions: [String: Emotion] = [
        "ANG": .angry, "DIS": .disgust, "FEA": .fearful, "HAP": .happy, "NEU": .neutral, "SAD": .sad,
    ]
    static let levels: [String: String] = ["LO": "low", "MD": "medium", "HI": "high", "XX": "unspecified"]
    /// The 12 sentences of the corpus.
    static let sentences: Set<String> = ["IEO", "TIE", "IOM", "IWW", "TAI", "MTI", "IWL", "ITH", "DFA", "ITS", "TSI", "WSI"]
    /// The 43 female actors of VideoDemographics.csv; the other 48 of 1001…1091 are male.
    static let femaleActors: Set<Int> = [
        1002, 1003, 1004, 1006, 1007, 1008, 1009, 1010, 1012, 1013, 1018, 1020, 1021, 1024, 1025,
        1028, 1029, 1030, 1037, 1043, 1046, 1047, 1049, 1052, 1053, 1054, 1055, 1056, 1058, 1060,
        1061, 1063, 1072, 1073, 1074, 1075, 1076, 1078, 1079, 1082, 1084, 1089, 1091,
    ]

    package static func clip(path: String, relative: [String]) throws -> Clip {
        let fields = stem(relative).split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4 else { throw NamingError("expected four fields ACTOR_SENTENCE_EMOTION_LEVEL") }
        guard let actor = Int(fields[0]), fields[0].count == 4, (1001...1091).contains(actor) else {
            throw NamingError("actor '\(fields[0])' is not 1001…1091")
        }
        guard sentences.contains(fields[1]) else { throw NamingError("sentence code '\(fields[1])' is not one of CREMA-D's 12") }
        guard let emotion = emotions[fields[2]] else {
            throw NamingError("emotion '\(fields[2])' is not ANG, DIS, FEA, HAP, NEU or SAD")
        }
        guard let level = levels[fields[3]] else { throw NamingError("level '\(fields[3])' is not LO, MD, HI or XX") }
        return Clip(path: path, emotion: emotion, speaker: fields[0],
                    gender: femaleActors.contains(actor) ? .female : .male,
                    intensity: level, statement: fields[1], corpus: Corpus.cremad.displayName)
    }
}
