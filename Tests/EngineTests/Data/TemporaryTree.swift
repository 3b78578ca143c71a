import Foundation
import XCTest

/// A temporary folder filled with empty files at given relative paths; removed on deinit.
final class TemporaryTree {
    let root: String

    init(files: [String] = []) throws {
        root = NSTemporaryDirectory() + "serscript-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for file in files { try add(file) }
    }

    func add(_ relative: String, contents: Data = Data()) throws {
        let path = (root as NSString).appendingPathComponent(relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try contents.write(to: URL(fileURLWithPath: path))
    }

    func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }

    deinit { try? FileManager.default.removeItem(atPath: root) }
}

/// Asserts that `body` throws an error whose description contains every one of `fragments`.
func XCTAssertThrowsMessage<T>(_ body: @autoclosure () throws -> T, contains fragments: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
    } catch {
        let message = String(describing: error)
        for fragment in fragments where !message.contains(fragment) {
            XCTFail("error '\(message)' does not mention '\(fragment)'", file: file, line: line)
        }
    }
}
