import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// Finds the audio files under a corpus root, in sorted order, and labels each by its corpus rule.
struct CorpusWalk {
    package let corpus: Corpus
    package let root: String
    package let options: CorpusOptions

    static let audioExtensions: Set<String> = ["wav", "flac", "ogg", "aif", "aiff"]

    package func run() throws -> IndexedCorpus {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError("\(root): no such folder (expected the \(corpus.displayName) corpus root)")
        }
        let relativePaths = try audioFiles()
        guard !relativePaths.isEmpty else {
            throw DataError("\(root): no audio files (.wav, .flac, .ogg, .aiff) found for \(corpus.displayName)")
        }
        var clips: [Clip] = []
        var skipped: [SkippedFile] = []
        for relative in relativePaths {
            let path = (root as NSString).appendingPathComponent(relative)
            do {
                clips.append(try corpus.clip(path: path, relative: relative.split(separator: "/").map(String.init),
                                             options: options))
            } catch let error as NamingError {
                try options.reject(SkippedFile(path: path, reason: error.reason),
                                   message: "\(path): not a \(corpus.displayName) file name: \(error.reason)",
                                   skipped: &skipped)
            } catch is ExcludedFile {
                continue
            }
        }
        return try IndexedCorpus(clips: clips, skipped: skipped, options: options)
    }

    /// Audio files below the root as sorted relative paths; hidden files and folders are ignored.
    private func audioFiles() throws -> [String] { try Self.audioFiles(under: root) }

    /// Audio files (by extension) below `root` as sorted paths relative to it; hidden files and
    /// folders are ignored. Corpus indexing and `serscript predict`'s folders both list this way.
    static func audioFiles(under root: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw DataError("\(root): cannot list the folder")
        }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            if audioExtensions.contains((name as NSString).pathExtension.lowercased()) { found.append(relative) }
        }
        return found.sorted()
    }
}

/// The file name without its extension.
func stem(_ relative: [String]) -> String {
    ((relative.last ?? "") as NSString).deletingPathExtension
}
