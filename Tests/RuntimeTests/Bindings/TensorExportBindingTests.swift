import Engine
import Foundation
import XCTest

/// `save_tensors` against files Python read (Tests/Fixtures/export, checked by its check.py), and
/// the PyTorch-file, freezing and embedding builtins from a script.
final class TensorExportBindingTests: XCTestCase {
    private let fixtures: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures")
    }()

    /// make.sers run again writes byte for byte the files that numpy and safetensors read back exactly.
    func testSaveTensorsWritesWhatPythonRead() throws {
        let run = try BindingRun()
        let export = fixtures.appendingPathComponent("export")
        run.run(try String(contentsOf: export.appendingPathComponent("make.sers"), encoding: .utf8))
        for name in ["tensors.safetensors", "tensors.npz", "grid.npy"] {
            let written = try Data(contentsOf: run.folder.appendingPathComponent(name))
            XCTAssertEqual(written, try Data(contentsOf: export.appendingPathComponent(name)), "\(name) differs from the file check.py read")
        }
    }

    func testFeatureSetsExportInputsLabelsAndClasses() throws {
        let run = try BindingRun()
        run.run(separableBlobs(n: 6) + "save_tensors(fs, \"fs.safetensors\")")
        let file = try SafeTensors.read(path: run.folder.appendingPathComponent("fs.safetensors").path)
        XCTAssertEqual(file.tensors["x"]?.shape, [6, 4])
        XCTAssertEqual(file.tensors["y"]?.values, [0, 1, 0, 1, 0, 1])
        XCTAssertEqual(file.metadata["classes"], "calm,angry")
    }

    func testSaveTensorsErrorsNameTheProblem() throws {
        let run = try BindingRun()
        XCTAssertTrue(run.failure("save_tensors({a: tensor([1.0]), b: tensor([2.0])}, \"two.npy\")").contains("holds one array; 2 given"))
        XCTAssertTrue(run.failure("save_tensors({a: tensor([1.0])}, \"x.csv\")").contains("must end in .safetensors, .npz or .npy"))
        XCTAssertTrue(run.failure("save_tensors({a: \"text\"}, \"x.npz\")").contains("'a'"))
        XCTAssertTrue(run.failure("save_tensors({}, \"x.npz\")").contains("empty"))
    }

    func testLoadWeightsReadsPyTorchFilesAndRefusesHostileOnes() throws {
        let run = try BindingRun()
        let pt = fixtures.appendingPathComponent("torch/pt")
        let expected = try XCTUnwrap(try SafeTensors.read(path: pt.appendingPathComponent("checkpoint_dict.safetensors").path).tensors["bias"])
        let output = run.run("""
            let m = linear(3, 2)
            load_weights(m, "\(pt.appendingPathComponent("checkpoint_dict.pt").path)")
            print(m.state_dict()["bias"].tolist() == [\(expected.values.map { "\(Double($0))" }.joined(separator: ", "))])
            """)
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "true")
        let refused = run.failure("load_weights(linear(3, 2), \"\(pt.appendingPathComponent("hostile_os_system.pt").path)\")")
        XCTAssertTrue(refused.contains("hostile_os_system.pt") && refused.contains("refuses global posix.system"), refused)
        let mismatch = run.failure("load_weights(linear(4, 2), \"\(pt.appendingPathComponent("checkpoint_dict.pt").path)\")")
        XCTAssertTrue(mismatch.contains("weight: model [2, 4] vs state dict [2, 3]"), mismatch)
    }

    func testVGG16BaseLoadsFromAWholeModelFileByPrefix() throws {
        let run = try BindingRun()
        let pt = fixtures.appendingPathComponent("torch/pt/vgg16_narrow.pt").path
        let output = run.run("""
            let base = vgg16_features(width: 4)
            load_weights(base, "\(pt)", prefix: "features.")
            base.freeze()
            print(base.parameters_count)
            print(sorted(list(named_seq({features: base, head: linear(32, 2)}).state_dict().keys()))[0])
            """)
        XCTAssertEqual(output.split(separator: "\n").map(String.init), ["0", "features.0.bias"])
        XCTAssertTrue(run.failure("load_weights(vgg16_features(width: 4), \"\(pt)\", prefix: \"encoder.\")").contains("no keys under 'encoder.'"))
    }

    func testEmbedKeepsLabelsAndRunsEveryRow() throws {
        let run = try BindingRun()
        let output = run.run(separableBlobs(n: 10) + """
            let net = linear(4, 3)
            let e = embed(net, fs, batch_size: 3)
            print(e.shape)
            print(e.labels == fs.labels)
            print(((e.inputs - net(fs.inputs)) ** 2).sum().item() < 1e-10)
            """)
        XCTAssertEqual(output.split(separator: "\n").map(String.init), ["[10, 3]", "true", "true"])
    }
}
