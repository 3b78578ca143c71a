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

final class CheckpointTests: XCTestCase {
    func testRoundTripKeepsEveryPart() throws {
        let tree = try TemporaryTree()
        let scaler = try StandardScaler(fitting: [StoredTensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                                                  StoredTensor(shape: [2, 3], values: [0, 2, 1, 9, 5, 6])], mode: .perRow)
        let checkpoint = Checkpoint(
            weights: ["conv.weight": StoredTensor(shape: [2, 1, 3, 3], values: (0..<18).map(Float.init)),
                      "fc.bias": StoredTensor(shape: [8], values: [Float](repeating: 0.5, count: 8))],
            optimizerState: ["fc.bias.momentum_buffer": StoredTensor(shape: [8], values: [Float](repeating: -1, count: 8))],
            epoch: 42, scaler: scaler, classNames: ["surprised", "neutral"], extra: ["params": "{\"lr\":0.01}"])
        let path = tree.path("model.safetensors")
        try checkpoint.write(path: path)
        XCTAssertEqual(try Checkpoint.read(path: path), checkpoint)
        var later = checkpoint
        later.epoch = 43
        try later.write(path: path)
        XCTAssertEqual(try Checkpoint.read(path: path).epoch, 43, "an existing checkpoint is replaced")
        try checkpoint.write(path: path)
        let raw = try SafeTensors.read(path: path)
        XCTAssertEqual(Set(raw.tensors.keys), ["model.conv.weight", "model.fc.bias", "optimizer.fc.bias.momentum_buffer",
                                               "scaler.mean", "scaler.scale"])
        XCTAssertEqual(raw.metadata["epoch"], "42")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: tree.root).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "atomic write leaves no temporary file")

        XCTAssertThrowsMessage(try Checkpoint.read(path: tree.path("none.safetensors")), contains: ["none.safetensors"])
        try SafeTensors(tensors: [:], metadata: [:]).write(path: tree.path("plain.safetensors"))
        XCTAssertThrowsMessage(try Checkpoint.read(path: tree.path("plain.safetensors")), contains: ["plain.safetensors", "not a serscript checkpoint"])
    }

    func testShapeCheckNamesEveryProblemAtOnce() throws {
        let checkpoint = Checkpoint(weights: ["a.weight": StoredTensor(shape: [2, 2], values: [0, 0, 0, 0]),
                                              "b.weight": StoredTensor(shape: [3], values: [0, 0, 0]),
                                              "old.bias": StoredTensor(shape: [1], values: [0])])
        XCTAssertNoThrow(try checkpoint.checkWeights(against: ["a.weight": [2, 2], "b.weight": [3], "old.bias": [1]]))
        XCTAssertThrowsMessage(try checkpoint.checkWeights(against: ["a.weight": [2, 2], "b.weight": [4], "c.bias": [5]]),
                               contains: ["3 problems", "b.weight: checkpoint has [3], model expects [4]",
                                          "missing c.bias [5]", "unexpected old.bias [1]"])
    }
}
