import Engine
import Foundation
import XCTest

/// `serscript export BUNDLE MODEL.onnx`: the file it writes, and its refusals (missing bundle,
/// unwritable path, a layer without an ONNX form). onnxruntime checks the files in EngineTests.
final class ExportCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }

    /// A bundle of `model` over a 0.5 s, 16-mel log-mel at 16 kHz (examples [1, 16, 63]), no scaler.
    private func writeBundle(_ model: Module, to name: String) throws -> String {
        let pipeline = FeaturePipeline(load: AudioLoadSpec(sampleRate: 16000, offset: 0, duration: 0.5, pad: true),
                                       recipe: .logmel(MelSpectrogramOptions(nFFT: 256, hopLength: 128, nMels: 16), ref: .max, topDb: 80))
        try ModelBundle(model: model, features: pipeline, scaler: nil, classNames: ["calm", "angry"],
                        provenance: .init(serscriptVersion: "test")).write(path: path(name))
        return path(name)
    }

    func testWritesTheModelAndSaysWhat() throws {
        let bundle = try writeBundle(Sequential([Flatten(), try Linear(16 * 63, 2, generator: RandomGenerator(seed: 2))]), to: "m.safetensors")
        let run = try runSerscript(["export", bundle, "m.onnx"], in: folder)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("m.onnx") && run.stdout.contains("opset 17") && run.stdout.contains("[\"N\", \"1\", \"16\", \"63\"]")
                      && run.stdout.contains("2 classes"), run.stdout)
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path("m.onnx"))[.size] as? Int)
        XCTAssertGreaterThan(size, 16 * 63 * 2 * 4, "the weights are in the file")
    }

    func testRefusals() throws {
        let missing = try runSerscript(["export", "nowhere.safetensors", "m.onnx"], in: folder)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nowhere.safetensors"), missing.stderr)

        let bundle = try writeBundle(Sequential([Flatten(), try Linear(16 * 63, 2, generator: RandomGenerator(seed: 2))]), to: "m.safetensors")
        let unwritable = try runSerscript(["export", bundle, "no/such/folder/m.onnx"], in: folder)
        XCTAssertEqual(unwritable.status, 2)
        XCTAssertTrue(unwritable.stderr.contains("cannot write no/such/folder/m.onnx"), unwritable.stderr)

        let reflecting = try writeBundle(Sequential([try Conv2d(1, 1, kernel: (3, 3), padding: .same, paddingMode: .reflect,
                                                                generator: RandomGenerator(seed: 3)),
                                                     Flatten(), try Linear(16 * 63, 2, generator: RandomGenerator(seed: 4))]), to: "r.safetensors")
        let unsupported = try runSerscript(["export", reflecting, "r.onnx"], in: folder)
        XCTAssertEqual(unsupported.status, 1)
        XCTAssertTrue(unsupported.stderr.contains("0 (Conv2d") && unsupported.stderr.contains("reflect"), unsupported.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("r.onnx")))

        let usage = try runSerscript(["export", bundle], in: folder)
        XCTAssertEqual(usage.status, 2)
    }
}
