import Engine
import Foundation
import XCTest

/// `serscript convert`: a `torch.save` file to safetensors with PyTorch's keys, hostile files refused.
final class ConvertCommandTests: XCTestCase {
    private let pt = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/torch/pt")

    func testConvertWritesTheStateDict() throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: target) }
        let run = try runSerscript(["convert", pt.appendingPathComponent("stacked_cnn_lstm.pt").path, target.path])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("tensors"), run.stdout)
        let model = try StackedCNNLSTM()
        try model.loadStateDict(try SafeTensors.read(path: target.path).tensors)   // strict: every key, every shape
    }

    func testConvertRefusesCodeAndExplainsUsage() throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("convert-\(UUID().uuidString).safetensors")
        let refused = try runSerscript(["convert", pt.appendingPathComponent("hostile_eval.pt").path, target.path])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("refuses global __builtin__.eval"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path))
        let same = try runSerscript(["convert", "a.pt", "a.pt"])
        XCTAssertEqual(same.status, 2, same.stderr)
    }
}
