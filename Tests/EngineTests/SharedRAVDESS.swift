import Foundation
import XCTest

/// The real RAVDESS actors in `../shared/data/ravdess`, found from the repository root (never by an
/// absolute path); tests that need them skip when the folder is absent. How many actors it holds
/// is read from the folder, never assumed.
enum SharedRAVDESS {
    /// The folder, or a skip.
    static func root() throws -> String {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests", url.pathComponents.count > 1 { url.deleteLastPathComponent() }
        let root = url.deletingLastPathComponent().appendingPathComponent("../shared/data/ravdess").standardized.path
        guard !(try actors(in: root)).isEmpty else { throw XCTSkip("no RAVDESS actors in \(root)") }
        return root
    }

    /// The actor numbers ("01", …) of the `Actor_NN` folders present, sorted.
    static func actors(in root: String) throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.hasPrefix("Actor_") }.map { String($0.dropFirst(6)) }.sorted()
    }
}
