import Foundation
import EngineTensor
import EngineAudio

/// What a corpus indexed, in brief — how many files, how many bytes, and a digest of their paths
/// (relative to the corpus folder) and sizes — kept in `run.json`, so that a re-run can say whether
/// it read the same data. Sizes rather than contents: cheap enough for every run, and copying a
/// corpus elsewhere keeps it; an edit that keeps every size is not seen.
public struct DataFingerprint: Equatable, Sendable {
    /// What was indexed, e.g. "ravdess data/demo".
    public var source: String
    public var files: Int
    /// Total size of the files; a file that cannot be read counts 0.
    public var bytes: Int
    /// 64-bit FNV-1a over the sorted lines "relative path, tab, size", in hex.
    public var digest: String

    /// Fingerprints `paths`, found under the folder `root` (the corpus folder, or the manifest's).
    public init(source: String, root: String, paths: [String]) {
        let base = (root as NSString).standardizingPath + "/"
        var entries: [(path: String, size: Int)] = paths.map { path in
            let standard = (path as NSString).standardizingPath
            let relative = standard.hasPrefix(base) ? String(standard.dropFirst(base.count)) : standard
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            return (relative, size)
        }
        entries.sort { $0.path < $1.path }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for entry in entries {
            for byte in "\(entry.path)\t\(entry.size)\n".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
        }
        self.init(source: source, files: entries.count, bytes: entries.reduce(0) { $0 + $1.size },
                  digest: String(hash, radix: 16))
    }

    /// A fingerprint as recorded.
    public init(source: String, files: Int, bytes: Int, digest: String) {
        self.source = source
        self.files = files
        self.bytes = bytes
        self.digest = digest
    }

    /// "720 files, 110.3 MB, digest 9a1f…".
    public var summary: String {
        "\(files) file\(files == 1 ? "" : "s"), \(String(format: "%.1f", Double(bytes) / 1e6)) MB, digest \(digest)"
    }
}
