import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// Batching: every example once per epoch, seeded reshuffles, row copies, drop-last.
final class BatchLoaderTests: XCTestCase {
    private func numbered(_ count: Int) throws -> TensorDataset {
        // Example i is the 2 × 3 block filled with i, so a batch row reveals which example it holds.
        let values = (0..<count).flatMap { i in [Float](repeating: Float(i), count: 6) }
        return try TensorDataset(features: Tensor(shape: [count, 2, 3], values: values), labels: (0..<count).map { $0 % 4 })
    }

    func testEveryExampleOncePerEpochWithRowsCopiedIntact() throws {
        let data = try numbered(23)
        let loader = try BatchLoader(data, batchSize: 5, seed: 3)
        XCTAssertEqual(loader.batchesPerEpoch, 5)
        for epoch in 1...3 {
            var seen: [Int] = []
            var sizes: [Int] = []
            for batch in loader.batches(epoch: epoch) {
                XCTAssertEqual(batch.features.shape, [batch.rows.count, 2, 3])
                let values = batch.features.values
                for (slot, row) in batch.rows.enumerated() {
                    XCTAssertEqual(Array(values[(slot * 6)..<((slot + 1) * 6)]), [Float](repeating: Float(row), count: 6))
                    XCTAssertEqual(batch.labels[slot], row % 4)
                }
                seen += batch.rows
                sizes.append(batch.rows.count)
            }
            XCTAssertEqual(seen.sorted(), Array(0..<23), "epoch \(epoch) visits every example exactly once")
            XCTAssertEqual(sizes, [5, 5, 5, 5, 3])
        }
    }

    func testShuffleIsReproducibleForASeedAndChangesPerEpoch() throws {
        let data = try numbered(50)
        let a = try BatchLoader(data, batchSize: 8, seed: 11), b = try BatchLoader(data, batchSize: 8, seed: 11)
        let c = try BatchLoader(data, batchSize: 8, seed: 12)
        XCTAssertEqual(a.order(epoch: 1), b.order(epoch: 1))
        XCTAssertEqual(a.batches(epoch: 2).map(\.rows), b.batches(epoch: 2).map(\.rows))
        XCTAssertNotEqual(a.order(epoch: 1), a.order(epoch: 2))
        XCTAssertNotEqual(a.order(epoch: 1), c.order(epoch: 1))
        XCTAssertNotEqual(a.order(epoch: 1), Array(0..<50), "shuffled")
        let fixed = try BatchLoader(data, batchSize: 8, shuffle: false)
        XCTAssertEqual(fixed.order(epoch: 4), Array(0..<50))
    }

    func testDropLastSkipsTheShortBatch() throws {
        let loader = try BatchLoader(try numbered(23), batchSize: 5, dropLast: true, seed: 1)
        XCTAssertEqual(loader.batchesPerEpoch, 4)
        XCTAssertEqual(loader.samplesPerEpoch, 20)
        let rows = loader.batches(epoch: 1).map(\.rows)
        XCTAssertEqual(rows.map(\.count), [5, 5, 5, 5])
        XCTAssertEqual(Set(rows.joined()).count, 20)
    }

    func testStackingSamplesAndBadInputAreReported() throws {
        let samples = (0..<3).map { i in Tensor([Float(i), Float(i) + 0.5]) }
        let data = try TensorDataset(samples: samples, labels: [0, 1, 0], metadataRows: [7, 8, 9])
        XCTAssertEqual(data.features.values, [0, 0.5, 1, 1.5, 2, 2.5])
        XCTAssertEqual(data.impliedClassCount, 2)
        XCTAssertEqual(try data.subset([2, 0]).metadataRows, [9, 7])
        XCTAssertThrowsError(try TensorDataset(features: Tensor.zeros([3, 2]), labels: [0, 1])) {
            XCTAssertTrue("\($0)".contains("[3, 2]"), "\($0)")
        }
        XCTAssertThrowsError(try TensorDataset(samples: [Tensor([1, 2]), Tensor([1])], labels: [0, 0])) {
            XCTAssertTrue("\($0)".contains("sample 1"), "\($0)")
        }
        XCTAssertThrowsError(try TensorDataset(features: Tensor.zeros([1, 2]), labels: [-1]))
        XCTAssertThrowsError(try data.batch(rows: [3]))
        XCTAssertThrowsError(try BatchLoader(data, batchSize: 0))
        XCTAssertThrowsError(try BatchLoader(data, batchSize: 4, dropLast: true))
    }
}
