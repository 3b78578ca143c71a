import Engine
import Foundation
import XCTest

/// One PyTorch parity file from `Tests/Fixtures/torch/` (written by its `generate.py`).
struct TorchFixture {
    let file: SafeTensors
    let name: String

    /// Loads `<name>.safetensors`, found by walking up from this source file to `Tests/`.
    init(_ name: String, sourceFile: String = #filePath) throws {
        var url = URL(fileURLWithPath: sourceFile)
        while url.lastPathComponent != "Tests", url.pathComponents.count > 1 { url.deleteLastPathComponent() }
        let path = url.appendingPathComponent("Fixtures/torch/\(name).safetensors").path
        file = try SafeTensors.read(path: path)
        self.name = name
    }

    /// The named tensor, or a thrown error naming the fixture and key.
    func tensor(_ key: String) throws -> Tensor {
        guard let stored = file.tensors[key] else {
            throw TensorError(op: "fixture \(name)", reason: "has no tensor '\(key)'")
        }
        return try Tensor(stored)
    }
}

/// Asserts two tensors agree in shape and in every value to `atol + rtol·|expected|`, reporting
/// the worst element.
func assertMatchesReference(_ actual: Tensor, _ expected: Tensor, atol: Float = 1e-6, rtol: Float = 1e-5,
                            _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "\(what): shape", file: file, line: line)
    guard actual.count == expected.count else { return }
    var worst: (index: Int, excess: Float)?
    for (i, (a, e)) in zip(actual.values, expected.values).enumerated() {
        let excess = Swift.abs(a - e) - (atol + rtol * Swift.abs(e))
        if !(excess <= 0), excess > (worst?.excess ?? 0) || excess.isNaN { worst = (i, excess) }
    }
    if let worst {
        XCTFail("\(what): element \(worst.index) is \(actual.values[worst.index]), reference \(expected.values[worst.index])",
                file: file, line: line)
    }
}
