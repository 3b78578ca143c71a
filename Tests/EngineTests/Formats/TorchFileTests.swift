import Engine
import Foundation
import XCTest

/// The PyTorch-file reader against files `torch.save` wrote (`Tests/Fixtures/torch/pt/`, made by
/// `generate.py`): the notebook models give PyTorch's logits, dtypes and views read as PyTorch reads
/// them, and hostile pickles are refused without running anything.
final class TorchFileTests: XCTestCase {
    private func fixturePath(_ name: String) -> String {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/torch/pt/\(name)").path
    }

    private func expected(_ name: String) throws -> [String: StoredTensor] {
        try SafeTensors.read(path: fixturePath("\(name).safetensors")).tensors
    }

    func testNotebookModelsGivePyTorchLogits() throws {
        let models: [(String, NotebookModel)] = [
            ("parallel_cnn_transformer", try ParallelCNNTransformer()),
            ("parallel_cnn_attention_lstm", try ParallelCNNAttentionLSTM()),
            ("stacked_cnn_lstm", try StackedCNNLSTM()),
            ("stacked_cnn_attention_lstm", try StackedCNNAttentionLSTM()),
        ]
        for (name, model) in models {
            let weights = try TorchFile.readStateDict(path: fixturePath("\(name).pt"))
            try model.loadStateDict(weights)
            model.eval()
            let reference = try expected(name)
            let input = try Tensor(try XCTUnwrap(reference["input"], name))
            let logits = try model(input)
            let target = try XCTUnwrap(reference["logits"], name)
            XCTAssertEqual(logits.shape, target.shape, name)
            let worst = zip(logits.values, target.values).map { Swift.abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 1e-4, "\(name): largest logit difference from PyTorch")
        }
    }

    func testDtypesBecomeFloat32AsPyTorchConvertsThem() throws {
        let read = try TorchFile.readStateDict(path: fixturePath("dtypes.pt"))
        let reference = try expected("dtypes")
        XCTAssertEqual(Set(read.keys), ["float16", "bfloat16", "float64", "int64", "uint8", "bool"])
        for (key, tensor) in reference {
            XCTAssertEqual(read[key], tensor, key)   // exact: every conversion is exact in float32
        }
    }

    func testViewsAndSharedStoragesResolveLikePyTorch() throws {
        let read = try TorchFile.readStateDict(path: fixturePath("views.pt"))
        let reference = try expected("views")
        XCTAssertEqual(Set(read.keys), Set(reference.keys))
        for (key, tensor) in reference { XCTAssertEqual(read[key], tensor, key) }
        XCTAssertEqual(read["transposed"]?.shape, [6, 4])
        XCTAssertEqual(read["block"]?.values, [8, 9, 10, 14, 15, 16])
    }

    func testCheckpointDictGivesItsModelStateDict() throws {
        let read = try TorchFile.readStateDict(path: fixturePath("checkpoint_dict.pt"))
        XCTAssertEqual(read, try expected("checkpoint_dict"))
    }

    func testDeflatedArchiveInflates() throws {
        XCTAssertEqual(try TorchFile.readStateDict(path: fixturePath("deflated.pt")), try expected("checkpoint_dict"))
    }

    func testConvertWritesSafetensorsWithPyTorchKeys() throws {
        let target = NSTemporaryDirectory() + "convert-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: target) }
        try WeightFile.convert(fixturePath("checkpoint_dict.pt"), to: target)
        XCTAssertEqual(try SafeTensors.read(path: target).tensors, try expected("checkpoint_dict"))
        XCTAssertEqual(try WeightFile.stateDict(path: target), try expected("checkpoint_dict"))
    }

    /// Each hostile file is refused with an error that names the file and what was refused; none
    /// of them runs anything (the os.system payload would create this file).
    func testHostileFilesAreRefused() throws {
        let cases: [(String, String)] = [
            ("hostile_os_system.pt", "refuses global posix.system"),
            ("hostile_eval.pt", "refuses global __builtin__.eval"),
            ("hostile_getattr.pt", "refuses global __builtin__.getattr"),
            ("hostile_whole_model.pt", "refuses global torch.nn.modules.linear.Linear"),
            ("hostile_view_out_of_bounds.pt", "reach element 4 of a storage of 4"),
            ("hostile_huge_stride.pt", "reaches past its storage"),
            ("hostile_storage_size.pt", "should hold 1000 elements"),
            ("hostile_missing_storage.pt", "has no entry archive/data/7"),
            ("hostile_storage_key_path.pt", "is not a plain name"),
            ("legacy.pt", "legacy (pre-1.6, non-zip) torch.save format"),
            ("no_tensors.pt", "not a state dict of tensors, and has no state_dict / model_state_dict / model entry that is one (keys: epoch, note)"),
        ]
        try? FileManager.default.removeItem(atPath: "/tmp/serscript-pwned")
        for (file, message) in cases {
            XCTAssertThrowsError(try TorchFile.readStateDict(path: fixturePath(file)), file) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(file), "\(file): error does not name the file: \(text)")
                XCTAssertTrue(text.contains(message), "\(file): expected '\(message)' in: \(text)")
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: "/tmp/serscript-pwned"))
    }

    /// Every truncation of a real file is an error, never a crash.
    func testTruncatedFilesAreErrors() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixturePath("checkpoint_dict.pt")))
        for length in stride(from: 0, to: data.count, by: max(1, data.count / 97)) {
            XCTAssertThrowsError(try TorchFile.read(data: data.prefix(length), path: "cut.pt"), "\(length) bytes")
        }
    }

    /// A byte changed anywhere in the first 1500 bytes (headers and pickle) gives an error or
    /// (harmlessly) other data, never a trap.
    func testCorruptedBytesNeverTrap() throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: fixturePath("views.pt")))
        for index in 0..<min(original.count, 1500) {
            var data = original
            data[index] ^= 0xA5
            _ = try? TorchFile.read(data: data, path: "changed.pt")
        }
    }
}
