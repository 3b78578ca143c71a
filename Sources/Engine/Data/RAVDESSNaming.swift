import EngineTensor
import EngineAudio

/// RAVDESS: `MM-VC-EE-II-SS-RR-AA` — modality, vocal channel (01 speech, 02 song), emotion,
/// intensity (01 normal, 02 strong), statement (01 "Kids…", 02 "Dogs…"), repetition, actor
/// (odd = male, even = female), in `Actor_AA/` folders.
enum RAVDESSNaming {
    package static let emotions: [String: Emotion] = [
        "01": .neutral, "02": .calm, "03": .happy, "04": .sad,
        "05": .angry, "06": .fearful, "07": .disgust, "08": .surprised,
    ]
    /// Song has no disgust or surprised.
    static let songEmotions: Set<String> = ["01", "02", "03", "04", "05", "06"]

    package static func clip(path: String, relative: [String], channels: Set<RAVDESSChannel>) throws -> Clip {
        let fields = stem(relative).split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 7, fields.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCIIDigit) }) else {
            throw NamingError("expected seven two-digit fields MM-VC-EE-II-SS-RR-AA")
        }
        let (modality, channelCode, emotionCode, intensityCode, statementCode, repetition, actorCode) =
            (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6])
        guard ["01", "02", "03"].contains(modality) else { throw NamingError("modality \(modality) is not 01, 02 or 03") }
        let channel: RAVDESSChannel
        switch channelCode {
        case "01": channel = .speech
        case "02": channel = .song
        default: throw NamingError("vocal channel \(channelCode) is not 01 (speech) or 02 (song)")
        }
        guard let emotion = emotions[emotionCode], channel == .speech || songEmotions.contains(emotionCode) else {
            throw NamingError("emotion \(emotionCode) is not a RAVDESS \(channel.rawValue) emotion code")
        }
        let intensity: String
        switch intensityCode {
        case "01": intensity = "normal"
        case "02" where emotion != .neutral: intensity = "strong"
        default: throw NamingError("intensity \(intensityCode) is not valid for \(emotion.rawValue)")
        }
        let statement: String
        switch statementCode {
        case "01": statement = "kids"
        case "02": statement = "dogs"
        default: throw NamingError("statement \(statementCode) is not 01 or 02")
        }
        guard ["01", "02"].contains(repetition) else { throw NamingError("repetition \(repetition) is not 01 or 02") }
        guard let actor = Int(actorCode), (1...24).contains(actor) else { throw NamingError("actor \(actorCode) is not 01…24") }
        if relative.count >= 2, let folder = relative.dropLast().last, folder.hasPrefix("Actor_"),
           folder != "Actor_\(actorCode)" {
            throw NamingError("actor \(actorCode) does not match its folder \(folder)")
        }
        guard channels.contains(channel) else { throw ExcludedFile() }
        return Clip(path: path, emotion: emotion, speaker: actorCode, gender: actor % 2 == 1 ? .male : .female,
                    intensity: intensity, statement: statement, corpus: Corpus.ravdess.displayName)
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
