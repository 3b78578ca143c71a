import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

final class StandardScalerTests: XCTestCase {
    func testPerPositionMatchesHandComputedStandardScaler() throws {
        let samples = [[1, 2], [3, 2], [5, 2]].map { StoredTensor(shape: [2], values: $0) }
        let scaler = try StandardScaler(fitting: samples, mode: .perPosition)
        XCTAssertEqual(scaler.mean, [3, 2])
        XCTAssertEqual(scaler.scale[0], Float((8.0 / 3).squareRoot()), accuracy: 1e-6, "population std")
        XCTAssertEqual(scaler.scale[1], 1, "constant column → scale 1")
        let scaled = try scaler.transform(StoredTensor(shape: [2], values: [1, 2]))
        XCTAssertEqual(scaled.values[0], Float(-2 / (8.0 / 3).squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(scaled.values[1], 0)
        XCTAssertThrowsMessage(try scaler.transform(StoredTensor(shape: [3], values: [1, 2, 3])), contains: ["[2]", "[3]"])
        XCTAssertThrowsMessage(try StandardScaler(fitting: [samples[0], StoredTensor(shape: [1], values: [0])], mode: .perPosition),
                               contains: ["sample 1", "[1]"])
    }

    func testPerRowPoolsFramesLeadingAxesAndSamples() throws {
        // Two samples of shape [chunks 2, bins 3, frames 4] with distinct values everywhere.
        let shape = [2, 3, 4]
        let samples = (0..<2).map { s in
            StoredTensor(shape: shape, values: (0..<24).map { Float(($0 * 7 + s * 5) % 11) - 40 })
        }
        let scaler = try StandardScaler(fitting: samples, mode: .perRow)
        XCTAssertEqual(scaler.mean.count, 3)
        for bin in 0..<3 {
            var pooled: [Double] = []
            for sample in samples { for chunk in 0..<2 { for frame in 0..<4 { pooled.append(Double(sample.values[(chunk * 3 + bin) * 4 + frame])) } } }
            let mean = pooled.reduce(0, +) / Double(pooled.count)
            let std = (pooled.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pooled.count)).squareRoot()
            XCTAssertEqual(Double(scaler.mean[bin]), mean, accuracy: 1e-5)
            XCTAssertEqual(Double(scaler.scale[bin]), std, accuracy: 1e-5)
        }
        let scaled = try scaler.transform(samples[1])
        let index = (1 * 3 + 2) * 4 + 3  // chunk 1, bin 2, frame 3
        XCTAssertEqual(scaled.values[index], (samples[1].values[index] - scaler.mean[2]) / scaler.scale[2], accuracy: 1e-6)

        let stored = scaler.stored
        XCTAssertEqual(try StandardScaler(tensors: stored.tensors, metadata: stored.metadata), scaler)
        XCTAssertThrowsMessage(try StandardScaler(fitting: [StoredTensor(shape: [3], values: [1, 2, 3])], mode: .perRow),
                               contains: ["at least 2 axes"])
        XCTAssertThrowsMessage(try StandardScaler(mode: .perRow, sampleShape: [3, 4], mean: [0], scale: [1]), contains: ["3 means"])
    }
}
