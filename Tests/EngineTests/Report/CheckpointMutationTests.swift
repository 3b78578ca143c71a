import Foundation
import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

/// Hostile safetensors files and checkpoints through `SafeTensors.read`, `Checkpoint.read` and the
/// resume path's history and scaler parsing: each must load or throw naming the file, never trap.
final class CheckpointMutationTests: XCTestCase {
    /// A safetensors file of `header` (JSON text) and `payload` bytes; `declaredLength` overrides the length prefix.
    private func file(_ header: String, payload: [UInt8] = [UInt8](repeating: 1, count: 16), declaredLength: UInt64? = nil,
                      in tree: TemporaryTree) throws -> String {
        let json = Array(header.utf8)
        let length = declaredLength ?? UInt64(json.count)
        let bytes = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + json + payload
        let path = tree.path("hostile-\(UUID().uuidString).safetensors")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func testHostileHeadersAreErrorsNamingTheFile() throws {
        let tree = try TemporaryTree()
        let entries = [
            #"{"t": {"dtype": "F32", "shape": [4611686018427387904, 4611686018427387904], "data_offsets": [0, 16]}}"#,
            #"{"t": {"dtype": "F64", "shape": [2305843009213693952, 4], "data_offsets": [0, 0]}}"#,
            #"{"t": {"dtype": "F32", "shape": [4], "data_offsets": [1, -9223372036854775808]}}"#,
            #"{"t": {"dtype": "F32", "shape": [4], "data_offsets": [-9223372036854775808, 16]}}"#,
            #"{"t": {"dtype": "F32", "shape": [1], "data_offsets": [16, 12]}}"#,
            #"{"t": {"dtype": "F32", "shape": [4], "data_offsets": [8, 24]}}"#,
            #"{"t": {"dtype": "F32", "shape": [-1, -4], "data_offsets": [0, 16]}}"#,
            #"{"t": {"dtype": "F32", "shape": [3], "data_offsets": [0, 16]}}"#,
            #"{"t": {"dtype": "BF16", "shape": [8], "data_offsets": [0, 16]}}"#,
            #"{"t": {"dtype": "F32", "shape": [1.5], "data_offsets": [0, 4]}}"#,
            #"{"t": {"dtype": "F32", "shape": [1e30], "data_offsets": [0, 4]}}"#,
            #"{"t": {"dtype": "F32", "shape": [4], "data_offsets": [0]}}"#,
            #"{"t": {"dtype": "F32", "shape": "4", "data_offsets": [0, 16]}}"#,
            #"{"t": 5}"#, #"[1, 2]"#, #"{"#, "", #"{"__metadata__": {"a": 1}}"#,
        ]
        for header in entries {
            let path = try file(header, in: tree)
            XCTAssertThrowsMessage(try SafeTensors.read(path: path), contains: [path])
        }
        for length: UInt64 in [.max, 1 << 63, 1 << 40, 17] {
            let path = try file("{}", declaredLength: length, in: tree)
            XCTAssertThrowsMessage(try SafeTensors.read(path: path), contains: [path])
        }
        // Overlapping and unaligned offsets are fine as long as each tensor's bytes are in the file.
        let shared = try file(#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [1, 9]}, "b": {"dtype": "I16", "shape": [4], "data_offsets": [3, 11]}}"#, in: tree)
        XCTAssertEqual(try SafeTensors.read(path: shared).tensors.count, 2)
        let empty = try file(#"{"e": {"dtype": "F32", "shape": [0, 4611686018427387904], "data_offsets": [16, 16]}}"#, in: tree)
        XCTAssertEqual(try SafeTensors.read(path: empty).tensors["e"]?.values, [])
    }

    /// A checkpoint whose metadata holds a scaler shape or a training history that cannot be
    /// represented: errors naming the fault.
    func testHostileMetadataIsAnError() throws {
        let tree = try TemporaryTree()
        let scaler = try StandardScaler(fitting: [StoredTensor(shape: [2], values: [1, 2]), StoredTensor(shape: [2], values: [3, 5])],
                                        mode: .perPosition)
        let path = tree.path("scaler.safetensors")
        try Checkpoint(weights: [:], scaler: scaler).write(path: path)
        var file = try SafeTensors.read(path: path)
        file.metadata["scaler"] = #"{"mode": "per_position", "sample_shape": "[999999999999, 999999999999]"}"#
        try file.write(path: path)
        XCTAssertThrowsMessage(try Checkpoint.read(path: path), contains: [path, "scaler"])

        for epoch in ["nan", "inf", "1e300", "-1", "2.5"] {
            let csv = "epoch,train_loss,train_acc,val_loss,val_acc,lr,seconds,samples_per_s\n\(epoch),1,0.5,nan,nan,0.1,1,100\n"
            XCTAssertThrowsError(try History(csv: csv), "epoch \(epoch)") { XCTAssertTrue("\($0)".contains("epoch"), "\($0)") }
        }
    }

    /// Seeded random byte edits of a valid checkpoint, bounded in count and time.
    func testRandomMutationsNeverTrap() throws {
        let tree = try TemporaryTree()
        let path = tree.path("valid.safetensors")
        try Checkpoint(weights: ["w": StoredTensor(shape: [2, 3], values: (0..<6).map(Float.init)), "b": StoredTensor(shape: [3], values: [1, 2, 3])],
                       epoch: 3, classNames: ["a", "b"], extra: ["history": "epoch\n1\n"]).write(path: path)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var state: UInt64 = 0xC0FFEE
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
        let digits = Array("0123456789-.e[],\"".utf8)
        let started = Date()
        var count = 0
        while count < 2000, Date().timeIntervalSince(started) < 4 {
            var bytes = original
            for _ in 0...next(3) {
                let at = next(bytes.count)
                switch next(3) {
                case 0: bytes[at] = digits[next(digits.count)]   // keeps JSON plausible: numbers and brackets
                case 1: bytes[at] = UInt8(next(256))
                default: bytes.remove(at: at)
                }
            }
            let mutated = tree.path("mutated.safetensors")
            try Data(bytes).write(to: URL(fileURLWithPath: mutated))
            _ = try? Checkpoint.read(path: mutated)
            count += 1
        }
        XCTAssertGreaterThan(count, 100)
    }
}
