import ArgumentParser
import Engine
import Foundation

/// `serscript cache [DIR] [--clear | --trim SIZE]`: what a feature cache holds; clearing or trimming it.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show, trim or clear the feature cache.",
        discussion: """
        `features(...)` caches only features that are expensive to recompute (pitch shift, time stretch, \
        reverb, long files; docs/featurising.md), in `.cache/features` of the current folder (or beside \
        --out DIR). Beyond its size limit — 2 GB, or $SERSCRIPT_FEATURE_CACHE_LIMIT such as 500MB — the \
        least recently used entries are removed after each featurisation.

        EXAMPLES:
          serscript cache
          serscript cache runs/.cache/features --trim 500MB
          serscript cache --clear
        """)

    @Argument(help: ArgumentHelp("The cache folder.", valueName: "dir"), completion: .directory)
    var directory = ".cache/features"

    @Flag(help: "Remove every entry.")
    var clear = false

    @Option(help: ArgumentHelp("Remove least recently used entries until at most this much remains (500MB, 2GB).", valueName: "size"))
    var trim: String?

    func validate() throws {
        if clear, trim != nil { throw ValidationError("--clear and --trim cannot be combined") }
        if let trim { do { _ = try FeatureCacheLimit.parse(trim) } catch { throw ValidationError("--trim: \(error)") } }
    }

    func run() throws {
        let folder = FeatureCacheFolder(directory: directory)
        if clear {
            print("\(directory): removed \(folder.clear()) entries")
        } else if let trim {
            let removed = folder.evict(toFit: try FeatureCacheLimit.parse(trim))
            print("\(directory): removed \(removed) least recently used entries")
        }
        print(describe(folder.usage()))
    }

    /// `.cache/features: 120 entries, 34.6 MB (limit 2.0 GB); last used 2026-12-02 06:58 to 07:01`
    private func describe(_ usage: FeatureCacheFolder.Usage) -> String {
        let limit = FeatureCacheLimit.default
        var text = "\(directory): \(usage.entries) entr\(usage.entries == 1 ? "y" : "ies"), \(Self.size(usage.bytes)) (limit \(Self.size(limit)))"
        if let oldest = usage.oldest, let newest = usage.newest {
            let format = DateFormatter()
            format.dateFormat = "yyyy-MM-dd HH:mm"
            text += "; last used \(format.string(from: oldest)) to \(format.string(from: newest))"
        }
        return text
    }

    /// Decimal megabytes or gigabytes.
    static func size(_ bytes: Int64) -> String {
        bytes >= 1_000_000_000 ? String(format: "%.1f GB", Double(bytes) / 1e9) : String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}
