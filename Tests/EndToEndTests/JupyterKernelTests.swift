import Engine
import Foundation
import XCTest

/// `serscript kernel` and `serscript notebook` (docs/jupyter.md), through the real binary.
final class JupyterKernelTests: XCTestCase {
    private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Jupyter's own clients (jupyter_client, nbclient, from PyPI in `.venv-jupyter`) drive the kernel:
    /// every message type, rich output, interrupts, restart, hostile messages, and a converted example
    /// notebook. A venv that cannot be made fails this test.
    func testJupyterClientsDriveTheKernel() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("Tests/Interop/jupyter_kernel_test.py").path,
                             "--serscript", serscriptBinary.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, text)
        XCTAssertTrue(text.contains("Jupyter checks passed"), text)
    }

    func testEveryExampleRoundTripsThroughANotebook() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-notebook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let examples = try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".sers") }.sorted()
        XCTAssertGreaterThanOrEqual(examples.count, 10)
        for example in examples {
            let script = repository.appendingPathComponent("examples/" + example).path
            let notebook = folder.appendingPathComponent(example + ".ipynb").path
            let back = folder.appendingPathComponent(example).path
            let made = try runSerscript(["notebook", script, "-o", notebook])
            XCTAssertEqual(made.status, 0, "\(example): \(made.stderr)")
            let json = try JSONValue.parse(try String(contentsOfFile: notebook, encoding: .utf8))
            let cells = try XCTUnwrap(json.objectValue?["cells"]?.arrayValue, example)
            let titles = cells.filter { $0.objectValue?["cell_type"]?.stringValue == "markdown" }.count
            let markers = try String(contentsOfFile: script, encoding: .utf8).components(separatedBy: "\n").filter { $0.hasPrefix("# %% ") }.count
            XCTAssertEqual(titles, markers, "\(example): one Markdown title cell per titled cell")
            XCTAssertEqual(json.objectValue?["metadata"]?.objectValue?["kernelspec"]?.objectValue?["name"], "serscript")
            let returned = try runSerscript(["notebook", notebook, "--to", "sers", "-o", back])
            XCTAssertEqual(returned.status, 0, "\(example): \(returned.stderr)")
            XCTAssertEqual(try String(contentsOfFile: back, encoding: .utf8), try String(contentsOfFile: script, encoding: .utf8),
                           "\(example) round-trips")
        }
    }

    func testNotebooksWithFreeMarkdownConvertBackAsMarkdownSections() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-notebook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebook: JSONValue = ["nbformat": 4, "nbformat_minor": 5, "metadata": [:], "cells": [
            ["cell_type": "markdown", "metadata": [:], "source": ["Some *notes*\n", "\n", "over lines"]],
            ["cell_type": "code", "metadata": [:], "source": "let a = 1\n", "outputs": [], "execution_count": 3],
            ["cell_type": "markdown", "metadata": [:], "source": "### Second"],
            ["cell_type": "code", "metadata": [:], "source": ["print(a)"], "outputs": [], "execution_count": .null],
        ]]
        let path = folder.appendingPathComponent("n.ipynb").path
        try notebook.encoded().write(toFile: path, atomically: true, encoding: .utf8)
        let result = try runSerscript(["notebook", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let script = try String(contentsOfFile: folder.appendingPathComponent("n.sers").path, encoding: .utf8)
        XCTAssertEqual(script, "# %% [markdown]\n# Some *notes*\n#\n# over lines\n\n# %%\nlet a = 1\n\n# %% Second\nprint(a)\n")
        let run = try runSerscript([folder.appendingPathComponent("n.sers").path, "--out", folder.appendingPathComponent("run").path])
        XCTAssertEqual(run.stdout, "1\n", run.stderr)
        // And forward again: the Markdown section is a Markdown cell once more.
        XCTAssertEqual(try runSerscript(["notebook", folder.appendingPathComponent("n.sers").path, "-o", path]).status, 0)
        let cells = try XCTUnwrap(JSONValue.parse(try String(contentsOfFile: path, encoding: .utf8)).objectValue?["cells"]?.arrayValue)
        XCTAssertEqual(cells.first?.objectValue?["source"], ["Some *notes*\n", "\n", "over lines"])
    }

    func testBadInputIsAClearError() throws {
        let missing = try runSerscript(["kernel", "-f", "/nonexistent/kernel-1.json"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/kernel-1.json: no such connection file"), missing.stderr)
        let both = try runSerscript(["kernel", "install", "--user", "--prefix", "/tmp/x"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("--user and --prefix exclude each other"), both.stderr)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-notebook-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let broken = folder.appendingPathComponent("broken.ipynb").path
        try "{\"cells\": 3}".write(toFile: broken, atomically: true, encoding: .utf8)
        let notNotebook = try runSerscript(["notebook", broken])
        XCTAssertNotEqual(notNotebook.status, 0)
        XCTAssertTrue(notNotebook.stderr.contains("broken.ipynb: not a Jupyter notebook"), notNotebook.stderr)
        let badScript = folder.appendingPathComponent("bad.sers").path
        try "let x = (1,\n# %% Two\n".write(toFile: badScript, atomically: true, encoding: .utf8)
        let unparsable = try runSerscript(["notebook", badScript])
        XCTAssertNotEqual(unparsable.status, 0)
        XCTAssertTrue(unparsable.stderr.contains("bad.sers:"), unparsable.stderr)
    }
}
