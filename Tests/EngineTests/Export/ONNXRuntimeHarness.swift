import Foundation
import XCTest
import Engine
@testable import EngineExport

/// Runs exported ONNX models in onnxruntime through `Tests/Interop/run_onnx.py`, which makes its own
/// venv (`.venv-onnx`) from PyPI on first use. Any failure there — venv, pip, onnx.checker, session
/// creation — throws with the script's stderr, so the test fails rather than skips.
enum ONNXRuntimeHarness {
    struct Run {
        var name: String
        var model: Data
        var inputs: [Tensor]
    }

    /// What onnxruntime gave for one model: the file's summary and `logits[i]` for `inputs[i]`.
    struct Result {
        var summary: JSONValue
        var logits: [[Float]]
        var probabilities: [[Float]]
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Interop/run_onnx.py").path

    static func evaluate(_ runs: [Run]) throws -> [Result] {
        let tree = try TemporaryTree()
        var requests: [JSONValue] = []
        for (index, run) in runs.enumerated() {
            let folder = tree.path("run\(index)")
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try run.model.write(to: URL(fileURLWithPath: folder + "/model.onnx"))
            var inputs: [JSONValue] = []
            for (inputIndex, input) in run.inputs.enumerated() {
                let file = folder + "/input\(inputIndex).bin"
                try littleEndian(input.values).write(to: URL(fileURLWithPath: file))
                inputs.append(.object(["file": .string(file), "shape": .array(input.shape.map { .number(Double($0)) })]))
            }
            requests.append(.object(["model": .string(folder + "/model.onnx"), "inputs": .array(inputs), "output_dir": .string(folder)]))
        }
        let request = tree.path("request.json")
        try Data(JSONValue.object(["runs": .array(requests)]).encoded().utf8).write(to: URL(fileURLWithPath: request))

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, request]
        let stdout = Pipe()
        let stderrPath = tree.path("stderr.txt")
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let errors = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
            throw ONNXExportError("run_onnx.py exited with \(process.terminationStatus):\n\(errors.suffix(4000))")
        }
        guard let summaries = try JSONValue.parse(String(decoding: output, as: UTF8.self)).arrayValue, summaries.count == runs.count else {
            throw ONNXExportError("run_onnx.py printed no summary per model: \(String(decoding: output, as: UTF8.self))")
        }
        return try zip(runs.indices, summaries).map { index, summary in
            let folder = tree.path("run\(index)")
            func rows(_ kind: String, _ inputIndex: Int) throws -> [[Float]] {
                let values = try floats(Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(inputIndex).\(kind).bin")))
                let batch = runs[index].inputs[inputIndex].shape[0]
                let width = values.count / batch
                return (0..<batch).map { Array(values[$0 * width..<($0 + 1) * width]) }
            }
            let count = runs[index].inputs.count
            return Result(summary: summary, logits: try (0..<count).flatMap { try rows("logits", $0) },
                          probabilities: try (0..<count).flatMap { try rows("probabilities", $0) })
        }
    }

    private static func littleEndian(_ values: [Float]) -> Data {
        var data = Data(capacity: values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    private static func floats(_ data: Data) -> [Float] {
        stride(from: 0, to: data.count - 3, by: 4).map { offset in
            Float(bitPattern: UInt32(data[data.startIndex + offset]) | UInt32(data[data.startIndex + offset + 1]) << 8
                  | UInt32(data[data.startIndex + offset + 2]) << 16 | UInt32(data[data.startIndex + offset + 3]) << 24)
        }
    }
}
