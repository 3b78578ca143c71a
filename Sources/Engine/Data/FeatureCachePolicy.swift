import Foundation
import EngineFormats

/// Which computed features `featurize` writes to the cache.
///
/// Reading an entry back is not free: open, header, checksum, copy. For the notebooks' log-mel
/// (about a millisecond of CPU per 3 s clip, 288 KB per entry) recomputing costs little more than reading,
/// so writing every entry made the first run slower and filled the disk for nothing
/// (docs/featurising.md has the measurements). `whenCostly` therefore writes an entry only when
/// computing it took at least `minimumGain` times the estimated time to read it back (computing
/// is measured in the thread's CPU time, so a busy machine does not make cheap features look dear): pitch shift,
/// time stretch, reverb or long files are cached, plain log-mel of short clips is not.
public enum FeatureCachePolicy: Sendable, Equatable {
    /// Every computed entry is written.
    case always
    /// Entries are written when recomputing them costs at least `minimumGain` times reading them.
    case costly(minimumGain: Double)

    /// The default: write what is at least 5 times cheaper to read than to recompute.
    public static let whenCostly = FeatureCachePolicy.costly(minimumGain: 5)

    /// Estimated seconds to read an entry of `bytes` back: a fixed cost per file (open, stat,
    /// header) plus its bytes at page-cache speed including the checksum, measured on the reference
    /// machine (docs/featurising.md).
    public static func readSeconds(bytes: Int) -> Double {
        0.000_15 + Double(bytes) / 1.5e9
    }

    /// Whether features of `bytes` bytes that took `computeSeconds` to make should be written.
    public func shouldStore(computeSeconds: Double, bytes: Int) -> Bool {
        switch self {
        case .always: return true
        case .costly(let gain): return computeSeconds >= gain * Self.readSeconds(bytes: bytes)
        }
    }
}

/// How many bytes of entries a feature cache keeps.
public enum FeatureCacheLimit {
    /// The variable that overrides the default limit, e.g. `SERSCRIPT_FEATURE_CACHE_LIMIT=500MB`.
    public static let environmentVariable = "SERSCRIPT_FEATURE_CACHE_LIMIT"

    /// 2 GB, or the environment variable's size when set and valid.
    public static var `default`: Int64 {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap { try? parse($0) } ?? 2_000_000_000
    }

    /// A size such as `500MB`, `2GB`, `1.5G`, `800k` or a plain byte count (decimal units).
    public static func parse(_ text: String) throws -> Int64 {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Double)] = [("GB", 1e9), ("G", 1e9), ("MB", 1e6), ("M", 1e6), ("KB", 1e3), ("K", 1e3), ("B", 1)]
        let (number, scale) = units.first { trimmed.hasSuffix($0.0) }.map { (String(trimmed.dropLast($0.0.count)), $0.1) } ?? (trimmed, 1)
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value >= 0, value * scale < 9e18 else {
            throw DataError("cache size '\(text)' is not a size such as 500MB or 2GB")
        }
        return Int64(value * scale)
    }
}
