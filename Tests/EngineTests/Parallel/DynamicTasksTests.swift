import Engine
@testable import EngineTensor
@testable import EngineTrain
import Foundation
import XCTest

/// The single-process side of the scale-out code (the ranks themselves are tested through
/// mpirun in EndToEndTests/MPITests).
final class DynamicTasksTests: XCTestCase {
    func testOneProcessRunsEveryTaskOnceAndKeepsResultsByIndex() throws {
        let tasks = DynamicTasks(count: 7, communicator: SingleProcess(), slots: 3)
        let lock = NSLock()
        var ran: [Int] = []
        var reported: [Int] = []
        let results = try tasks.run(finished: { index, _, rank in
            XCTAssertEqual(rank, 0)
            reported.append(index)
        }) { index in
            lock.lock()
            ran.append(index)
            lock.unlock()
            return [UInt8(index * 3)]
        }
        XCTAssertEqual(ran.sorted(), Array(0..<7))
        XCTAssertEqual(reported.sorted(), Array(0..<7))
        XCTAssertEqual(results.map { $0?.first }, (0..<7).map { UInt8($0 * 3) })
        XCTAssertTrue(tasks.outstanding.isEmpty)
    }

    func testStoppingLeavesTheRestUnrun() throws {
        let tasks = DynamicTasks(count: 5, communicator: SingleProcess())
        var done = 0
        let results = try tasks.run(stopping: { done >= 2 }) { _ in
            done += 1
            return [1]
        }
        XCTAssertEqual(results.map { $0 != nil }, [true, true, false, false, false])
    }

    func testBroadcastHelpersAreIdentitiesOnOneProcess() throws {
        let world = SingleProcess()
        XCTAssertEqual(try world.broadcast(UInt64(0xDEAD_BEEF_1234)), 0xDEAD_BEEF_1234)
        XCTAssertFalse(try world.anyRank(false))
        XCTAssertTrue(try world.anyRank(true))
        XCTAssertThrowsError(try world.send([1], to: 1, tag: 0))
    }

    func testAShortLastBatchMustGiveEveryRankAnExample() throws {
        // 33 examples, batch 16 per rank on 2 ranks: a last global batch of 1 cannot be shared.
        XCTAssertThrowsError(try DataParallel.checkShards(examples: 33, perRankBatch: 16, ranks: 2, dropLast: false)) { error in
            XCTAssertTrue("\(error)".contains("last batch of 1 examples cannot give each of 2 ranks one"), "\(error)")
        }
        XCTAssertNoThrow(try DataParallel.checkShards(examples: 33, perRankBatch: 16, ranks: 2, dropLast: true))
        XCTAssertNoThrow(try DataParallel.checkShards(examples: 34, perRankBatch: 16, ranks: 2, dropLast: false))
        XCTAssertNoThrow(try DataParallel.checkShards(examples: 64, perRankBatch: 16, ranks: 2, dropLast: false))
    }

    func testFitWithASingleProcessCommunicatorIsPlainFit() throws {
        func train(_ communicator: (any Communicator)?) throws -> [Float] {
            let data = try TensorDataset(features: try Tensor.randn([24, 5], generator: RandomGenerator(seed: 1)),
                                         labels: (0..<24).map { $0 % 3 })
            let model = try Linear(5, 3, generator: RandomGenerator(seed: 2))
            let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.1, momentum: 0.9)
            var options = FitOptions(epochs: 2, batchSize: 8)
            options.progress = .silent
            options.communicator = communicator
            try fit(model, optimizer: optimizer, train: data, options: options)
            return model.parameters().flatMap(\.values)
        }
        XCTAssertEqual(try train(SingleProcess()), try train(nil))
    }
}
