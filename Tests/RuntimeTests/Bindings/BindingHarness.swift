import Foundation
import Runtime
import XCTest

/// Runs binding scripts with a temporary run folder, so files they save land there.
final class BindingRun {
    let folder: URL
    let interpreter: Interpreter

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("model-bindings-\(UUID().uuidString)")
        interpreter = Interpreter(output: RunOutput(scriptName: "test", directory: folder.path))
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Runs `text`; fails the test on a script error and returns what it printed.
    @discardableResult
    func run(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let outcome = ScriptHarness.run(text, interpreter: interpreter)
        if let error = outcome.error { XCTFail("script failed: \(error)", file: file, line: line) }
        return outcome.output
    }

    /// Runs `text`, which must fail; returns the error's report.
    func failure(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let outcome = ScriptHarness.run(text, interpreter: interpreter)
        guard let error = outcome.error else {
            XCTFail("script should have failed; printed \(outcome.output)", file: file, line: line)
            return ""
        }
        return "\(error)"
    }
}

/// A script making `fs`: two well-separated Gaussian blobs in 4-D, `n` rows, labels alternating.
func separableBlobs(n: Int = 200, seed: Int = 3) -> String {
    """
    let x = randn([\(n), 4], seed: \(seed))
    let labels = map(fn(i) = i % 2, range(\(n)))
    let shift = tensor(map(fn(i) = [3.0, -3.0, 3.0, 0.0] if i % 2 == 1 else [0.0, 0.0, 0.0, 0.0], range(\(n))))
    let fs = feature_set(x + shift, labels, classes: ["calm", "angry"])

    """
}
