import Foundation
import EngineTensor
import EngineAudio

/// What a demo-corpus folder holds compared with a plan: which clips are missing or changed since
/// they were written, and which audio files no plan of ours would write (left by an earlier
/// generation with more speakers or other options, or put there by someone else).
enum DemoCorpusFolder {
    /// Every planned clip exists with the byte count the manifest recorded for it.
    static func clipsIntact(in directory: URL, recorded: [String: Int], planned: [String]) -> Bool {
        guard recorded.count == planned.count else { return false }
        return planned.allSatisfy { path in
            guard let bytes = recorded[path],
                  let size = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(path).path)[.size] as? NSNumber
            else { return false }
            return size.intValue == bytes
        }
    }

    /// The byte count of every planned clip, for the manifest.
    static func sizes(in directory: URL, planned: [String]) throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        for path in planned {
            let file = directory.appendingPathComponent(path).path
            guard let size = try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber else {
                throw DemoCorpusError.cannotWrite(path: file, reason: "the clip just written is missing")
            }
            sizes[path] = size.intValue
        }
        return sizes
    }

    /// Before generating `planned` into `directory`: removes the clips an earlier generation (its
    /// manifest's plan) wrote that this plan does not include, with folders they leave empty, and
    /// refuses when other audio files remain that the new corpus would not contain — `corpus()`
    /// would index them as part of it.
    static func clearStaleClips(in directory: URL, previous: [String], planned: [String]) throws {
        let fileManager = FileManager.default
        let keep = Set(planned)
        for path in previous where !keep.contains(path) {
            let file = directory.appendingPathComponent(path)
            guard fileManager.fileExists(atPath: file.path) else { continue }
            do { try fileManager.removeItem(at: file) } catch {
                throw DemoCorpusError.cannotWrite(path: file.path, reason: "cannot remove a clip of the earlier corpus: \(error)")
            }
            let folder = file.deletingLastPathComponent()
            if folder.path != directory.path, (try? fileManager.contentsOfDirectory(atPath: folder.path))?.isEmpty == true {
                try? fileManager.removeItem(at: folder)
            }
        }
        let strays = audioFiles(in: directory).filter { !keep.contains($0) }
        guard strays.isEmpty else {
            throw DemoCorpusError.invalidOption("\(directory.path) holds \(strays.count) audio file(s) this corpus would not contain "
                + "(e.g. \(strays[0])) and that no earlier demo-corpus run there wrote; remove them or choose another folder")
        }
    }

    /// Audio files under `directory`, relative to it.
    static func audioFiles(in directory: URL) -> [String] {
        let walker = FileManager.default.enumerator(atPath: directory.path)
        let extensions: Set<String> = ["wav", "flac", "mp3", "ogg", "aiff"]
        return (walker?.allObjects as? [String] ?? [])
            .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
    }
}
