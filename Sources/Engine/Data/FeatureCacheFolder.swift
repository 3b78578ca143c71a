import Foundation

/// A feature cache folder as a whole: what it holds, least-recently-used eviction and clearing.
/// Only files named like cache entries (and their unfinished temporary files) are counted or
/// removed, so pointing it at the wrong folder deletes nothing else.
public struct FeatureCacheFolder: Sendable {
    /// The folder.
    public let directory: String

    static let entrySuffix = ".safetensors"

    /// A cache folder at `directory` (which may not exist yet).
    public init(directory: String) { self.directory = directory }

    /// One cache entry on disk.
    public struct Entry: Sendable {
        public var path: String
        public var bytes: Int64
        /// Last written or read.
        public var used: Date
    }

    /// What the folder holds.
    public struct Usage: Sendable {
        public var entries: Int
        public var bytes: Int64
        public var oldest: Date?
        public var newest: Date?
    }

    /// Every entry, least recently used first; none when the folder is missing.
    public func entries() -> [Entry] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter(Self.isEntryName).compactMap { name -> Entry? in
            let path = (directory as NSString).appendingPathComponent(name)
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }   // removed meanwhile
            let used = Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
            return Entry(path: path, bytes: Int64(info.st_size), used: used)
        }.sorted { ($0.used, $0.path) < ($1.used, $1.path) }
    }

    /// Entry count, total bytes and the range of last use.
    public func usage() -> Usage {
        let all = entries()
        return Usage(entries: all.count, bytes: all.reduce(0) { $0 + $1.bytes }, oldest: all.first?.used, newest: all.last?.used)
    }

    /// Removes least recently used entries until at most `limitBytes` remain; returns how many went.
    @discardableResult
    public func evict(toFit limitBytes: Int64) -> Int {
        let all = entries()
        var total = all.reduce(0) { $0 + $1.bytes }
        var removed = 0
        for entry in all where total > limitBytes {
            if unlink(entry.path) == 0 { removed += 1 }
            total -= entry.bytes
        }
        return removed
    }

    /// Removes every entry; returns how many went.
    @discardableResult
    public func clear() -> Int { evict(toFit: -1) }

    /// `<hex>.safetensors`, or a writer's temporary `.<hex>.safetensors.<pid>.tmp` left by a crash.
    static func isEntryName(_ name: String) -> Bool {
        var stem = Substring(name)
        if stem.hasPrefix("."), stem.hasSuffix(".tmp") {
            stem = stem.dropFirst().dropLast(4)
            guard let dot = stem.lastIndex(of: "."), stem[stem.index(after: dot)...].allSatisfy(\.isNumber) else { return false }
            stem = stem[..<dot]
        }
        guard stem.hasSuffix(entrySuffix) else { return false }
        let hex = stem.dropLast(entrySuffix.count)
        return !hex.isEmpty && hex.count <= 16 && hex.allSatisfy(\.isHexDigit)
    }
}
