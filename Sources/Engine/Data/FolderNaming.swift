import EngineTensor
import EngineAudio

/// Folder-per-emotion layout ("Combined/Emotions/Angry/x.wav"): the folder holding the file names
/// the emotion (any spelling `Emotion.named` knows); speaker and gender are unknown.
enum FolderNaming {
    package static func clip(path: String, relative: [String]) throws -> Clip {
        guard relative.count >= 2, let folder = relative.dropLast().last else {
            throw NamingError("file sits directly in the root; put it in a folder named after its emotion")
        }
        guard let emotion = Emotion.named(folder) else {
            throw NamingError("folder '\(folder)' is not an emotion name ("
                              + Emotion.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return Clip(path: path, emotion: emotion, speaker: "unknown", gender: .unknown,
                    corpus: Corpus.folders.displayName)
    }
}
