import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// One-cycle and warm-up + cosine: PyTorch's learning-rate sequences (`lr_*.safetensors`), closed
/// forms, errors, and how `fit` steps them per batch (also across a resume).
final class BatchScheduleTests: XCTestCase {
    /// The rates after 0, 1, …, steps steps.
    private func rates(_ schedule: any LRScheduler, steps: Int) throws -> [Float] {
        var out = [schedule.optimizer.learningRate]
        for _ in 0..<steps {
            try schedule.step()
            out.append(schedule.optimizer.learningRate)
        }
        return out
    }

    private func assertMatchesFixture(_ name: String, _ make: (SGD) throws -> any LRScheduler) throws {
        let expected = try TorchFixture(name).tensor("lr")
        let sgd = try SGD(parameters: [], learningRate: 0.1)
        let schedule = try make(sgd)
        let mine = try rates(schedule, steps: expected.count - 1)
        assertMatchesReference(try Tensor(shape: [mine.count], values: mine), expected, atol: 1e-9, rtol: 1e-6, name)
    }

    func testOneCycleDefaultsMatchPyTorch() throws {
        try assertMatchesFixture("lr_one_cycle") { try OneCycleLR(optimizer: $0, maxRate: 0.01, totalSteps: 100) }
    }

    func testOneCycleThreePhaseLinearMatchesPyTorch() throws {
        try assertMatchesFixture("lr_one_cycle_three_phase_linear") {
            try OneCycleLR(optimizer: $0, maxRate: 0.05, totalSteps: 37, pctStart: 0.25, annealing: .linear,
                           divFactor: 10, finalDivFactor: 100, threePhase: true)
        }
    }

    func testWarmupCosineMatchesPyTorchSequentialLR() throws {
        try assertMatchesFixture("lr_warmup_cosine") {
            $0.learningRate = 0.003
            return try WarmupCosineLR(optimizer: $0, warmup: .steps(10), totalSteps: 100, startFactor: 0.01, minimumRate: 1e-5)
        }
    }

    func testOneCycleClosedForm() throws {
        let sgd = try SGD(parameters: [], learningRate: 1)
        let (peak, total) = (0.5, 10)
        let schedule = try OneCycleLR(optimizer: sgd, maxRate: peak, totalSteps: total)
        let (initial, final) = (peak / 25, peak / 25 / 1e4)
        // Phase 1 ends at 0.3·10 − 1 = 2, phase 2 at 9; PyTorch extrapolates the cosine at step 10.
        var expected = [initial, (initial + peak) / 2]
        expected += (2...10).map { t in final + (peak - final) / 2 * (1 + cos(Double.pi * Double(t - 2) / 7)) }
        let all = try rates(schedule, steps: total)
        for (t, (mine, theirs)) in zip(all, expected).enumerated() {
            XCTAssertEqual(Double(mine), theirs, accuracy: 1e-7 * peak, "step \(t)")
        }
        XCTAssertThrowsError(try schedule.step(), "PyTorch refuses to step beyond total_steps")
    }

    func testWarmupFractionAndErrors() throws {
        let sgd = try SGD(parameters: [], learningRate: 0.2)
        let schedule = try WarmupCosineLR(optimizer: sgd, warmup: .fraction(0.25), startFactor: 0)
        XCTAssertEqual(sgd.learningRate, 0)
        XCTAssertThrowsError(try schedule.step(), "the length is unknown until planned")
        try schedule.plan(totalSteps: 8)
        XCTAssertEqual(schedule.warmupSteps, 2)
        let all = try rates(schedule, steps: 9)
        XCTAssertEqual(all[1], 0.1, accuracy: 1e-7)
        XCTAssertEqual(all[2], 0.2, accuracy: 1e-7)
        XCTAssertEqual(Double(all[5]), 0.1 * (1 + cos(Double.pi * 3 / 6)), accuracy: 1e-7)
        XCTAssertEqual(all[8], 0, accuracy: 1e-9)
        XCTAssertEqual(all[9], 0, accuracy: 1e-9, "holds eta_min after the total")
        XCTAssertThrowsError(try WarmupCosineLR(optimizer: sgd, warmup: .steps(10), totalSteps: 10))
        XCTAssertThrowsError(try OneCycleLR(optimizer: sgd, maxRate: 0.1, pctStart: 1.5))
        XCTAssertThrowsError(try OneCycleLR(optimizer: sgd, maxRate: 0.1, totalSteps: 10).plan(totalSteps: 20))
    }

    func testFitStepsPerBatchAndFillsInTheLength() throws {
        let data = try TrainingFixtures.clusters(perClass: 10)   // 30 examples: 4 batches of 8
        let model = try TrainingFixtures.mlp()
        let sgd = try SGD(parameters: model.parameters(), learningRate: 1)
        let schedule = try OneCycleLR(optimizer: sgd, maxRate: 0.1)
        var options = TrainingFixtures.quiet(epochs: 3, batchSize: 8)
        options.scheduler = schedule
        let history = try fit(model, optimizer: sgd, train: data, options: options)
        XCTAssertEqual(schedule.totalSteps, 12)
        XCTAssertEqual(schedule.lastEpoch, 12)
        let reference = try OneCycleLR(optimizer: try SGD(parameters: [], learningRate: 1), maxRate: 0.1, totalSteps: 12)
        let expected = try [0, 4, 8].map { Float(try reference.rate(atStep: $0)) }
        XCTAssertEqual(history.epochs.map { Float($0.learningRate) }, expected, "each epoch records its starting rate")

        let tooShort = try OneCycleLR(optimizer: sgd, maxRate: 0.1, totalSteps: 5)
        options.scheduler = tooShort
        XCTAssertThrowsError(try fit(model, optimizer: sgd, train: data, options: options)) { error in
            XCTAssertTrue("\(error)".contains("3 epochs × 4 batches"), "\(error)")
        }
    }

    func testResumedRunReplaysPerBatchSteps() throws {
        let data = try TrainingFixtures.clusters(perClass: 10)
        let directory = try TrainingFixtures.temporaryDirectory()
        func run(epochs: Int, resume: String?) throws -> (History, Module) {
            let model = try TrainingFixtures.mlp()
            let sgd = try SGD(parameters: model.parameters(), learningRate: 0.05)
            var options = TrainingFixtures.quiet(epochs: epochs, batchSize: 8)
            options.scheduler = try WarmupCosineLR(optimizer: sgd, warmup: .steps(3), totalSteps: 16)
            options.checkpoint = CheckpointPolicy(path: directory + "/run.safetensors")
            return (try fit(model, optimizer: sgd, train: data, options: options, resumeFrom: resume), model)
        }
        let (straight, straightModel) = try run(epochs: 4, resume: nil)
        _ = try run(epochs: 2, resume: nil)
        let (resumed, resumedModel) = try run(epochs: 4, resume: directory + "/run.safetensors")
        XCTAssertEqual(resumed.epochs.map(\.learningRate), straight.epochs.map(\.learningRate))
        XCTAssertEqual(resumedModel.stateDict(), straightModel.stateDict(), "bit for bit")
    }
}
