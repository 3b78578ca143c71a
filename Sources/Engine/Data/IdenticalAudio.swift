import Foundation
import EngineTensor
import EngineAudio

/// Finds audio files with identical content (byte for byte), so splits can keep copies together:
/// RAVDESS ships `Actor_07/03-01-03-01-02-01-07.wav` and `…-02-02-07.wav` as the same file, and a
/// random split that puts one in training and one in test leaks the answer. Only files of equal
/// size are read: a 64-bit FNV-1a hash of each, then a byte comparison within equal hashes.
public enum IdenticalAudio {
    /// Groups (two or more, each in the given order) of `paths` whose files are byte-identical;
    /// unreadable files are never grouped.
    public static func groups(_ paths: [String]) -> [[String]] {
        var bySize: [Int: [String]] = [:]
        for path in paths {
            // Empty files hold no audio (and test trees are full of them): never grouped.
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue, size > 0 else { continue }
            bySize[size, default: []].append(path)
        }
        var groups: [[String]] = []
        for candidates in bySize.values where candidates.count > 1 {
            var byHash: [UInt64: [(path: String, data: Data)]] = [:]
            for path in candidates {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                byHash[hash(data), default: []].append((path, data))
            }
            for sameHash in byHash.values where sameHash.count > 1 {
                var remaining = sameHash
                while let first = remaining.first {
                    let same = remaining.filter { $0.data == first.data }
                    if same.count > 1 { groups.append(same.map(\.path)) }
                    remaining.removeAll { $0.data == first.data }
                }
            }
        }
        let order = Dictionary(paths.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        return groups.map { $0.sorted { order[$0, default: 0] < order[$1, default: 0] } }
            .sorted { order[$0[0], default: 0] < order[$1[0], default: 0] }
    }

    /// `clips` with `identicalTo` set on every copy after the first of each group of identical files.
    static func marked(_ clips: [Clip]) -> (clips: [Clip], groups: [[String]]) {
        let groups = groups(clips.map(\.path))
        guard !groups.isEmpty else { return (clips, []) }
        var canonical: [String: String] = [:]
        for group in groups { for path in group.dropFirst() { canonical[path] = group[0] } }
        return (clips.map { clip in
            var copy = clip
            copy.identicalTo = canonical[clip.path]
            return copy
        }, groups)
    }

    private static func hash(_ data: Data) -> UInt64 { data.withUnsafeBytes { FNV1a.hash(words: $0) } }
}

extension Dataset {
    /// Rows whose clips hold identical audio, in groups of two or more (ascending rows).
    public var identicalGroups: [[Int]] {
        var rows: [String: [Int]] = [:]
        for (row, clip) in clips.enumerated() { rows[clip.contentKey, default: []].append(row) }
        return rows.values.filter { $0.count > 1 }.sorted { $0[0] < $1[0] }
    }
}
