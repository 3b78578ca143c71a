import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// Mixup: the Beta draws, the blended batch, the loss and its gradient against closed forms and
/// finite differences, label smoothing inside it, and seeded reproducibility in `fit`.
final class MixupTests: XCTestCase {
    func testBetaDrawsHaveTheDistributionsMeanAndVariance() {
        let generator = RandomGenerator(seed: 11)
        for (a, b) in [(0.2, 0.2), (2.0, 5.0), (0.4, 0.4), (1.0, 1.0)] {
            let n = 40_000
            let draws = (0..<n).map { _ in generator.beta(a, b) }
            XCTAssertTrue(draws.allSatisfy { $0 >= 0 && $0 <= 1 })
            let mean = draws.reduce(0, +) / Double(n)
            let variance = draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
            let expectedMean = a / (a + b), expectedVariance = a * b / ((a + b) * (a + b) * (a + b + 1))
            XCTAssertEqual(mean, expectedMean, accuracy: 5 * (expectedVariance / Double(n)).squareRoot(), "Beta(\(a), \(b)) mean")
            XCTAssertEqual(variance, expectedVariance, accuracy: 0.04 * expectedVariance, "Beta(\(a), \(b)) variance")
        }
        // Gamma(k) has mean and variance k.
        let gammas = (0..<40_000).map { _ in generator.gamma(shape: 3.5) }
        XCTAssertEqual(gammas.reduce(0, +) / 40_000, 3.5, accuracy: 0.05)
    }

    private func batch(_ values: [Float], shape: [Int], labels: [Int]) throws -> Batch {
        Batch(features: try Tensor(shape: shape, values: values), labels: labels, rows: Array(labels.indices))
    }

    func testBlendedInputsAndLabels() throws {
        let plain = try batch([1, 2, 3, 4, 5, 6, 7, 8], shape: [4, 2], labels: [0, 1, 2, 1])
        let mixed = try MixedBatch(plain, partners: [2, 0, 3, 1], lambda: 0.75)
        XCTAssertEqual(mixed.features.shape, [4, 2])
        let x = plain.features.values
        for row in 0..<4 {
            let partner = [2, 0, 3, 1][row]
            for column in 0..<2 {
                XCTAssertEqual(mixed.features.values[row * 2 + column],
                               0.75 * x[row * 2 + column] + 0.25 * x[partner * 2 + column], accuracy: 1e-6)
            }
        }
        XCTAssertEqual(mixed.partnerLabels, [2, 0, 1, 1])
        XCTAssertEqual(mixed.correct([0, 0, 1, 1]), 0.75 + 0.25 + 0.25 + 1, accuracy: 1e-9)
        XCTAssertThrowsError(try MixedBatch(plain, partners: [0, 1], lambda: 0.5))
        XCTAssertThrowsError(try Mixup(alpha: 0))
    }

    /// The mixed loss (with label smoothing ε) equals cross-entropy against the mixed smoothed
    /// targets q = λ·s(y) + (1−λ)·s(y′), and its gradient with respect to the logits is (softmax − q)/N.
    func testLossAndGradientMatchTheMixedTargetClosedForm() throws {
        let (n, k) = (5, 4)
        let generator = RandomGenerator(seed: 3)
        let logitValues = (0..<(n * k)).map { _ in 2 * generator.normal() }
        let labels = [0, 3, 1, 1, 2], partners = [3, 2, 0, 4, 1]
        let inputs = try batch(logitValues, shape: [n, k], labels: labels)
        for (lambda, smoothing) in [(Float(0.7), Float(0)), (0.3, 0.1), (1, 0.2)] {
            let mixed = try MixedBatch(inputs, partners: lambda == 1 ? Array(0..<n) : partners, lambda: lambda)
            let logits = try Tensor(shape: [n, k], values: logitValues)
            logits.requiresGrad = true
            let loss = try mixed.loss(logits) { try Loss.crossEntropy($0, targets: $1, labelSmoothing: smoothing) }
            try loss.backward()
            var expectedLoss = 0.0
            for row in 0..<n {
                let z = (0..<k).map { Double(logitValues[row * k + $0]) }
                let logSum = log(z.map { exp($0) }.reduce(0, +))
                var target = [Double](repeating: Double(smoothing) / Double(k), count: k)
                target[mixed.labels[row]] += Double(lambda) * Double(1 - smoothing)
                target[mixed.partnerLabels[row]] += Double(1 - lambda) * Double(1 - smoothing)
                expectedLoss -= (0..<k).map { target[$0] * (z[$0] - logSum) }.reduce(0, +) / Double(n)
                for c in 0..<k {
                    let gradient = (exp(z[c] - logSum) - target[c]) / Double(n)
                    XCTAssertEqual(Double(logits.grad?.values[row * k + c] ?? .nan), gradient, accuracy: 1e-6,
                                   "λ \(lambda) ε \(smoothing) row \(row) class \(c)")
                }
            }
            XCTAssertEqual(Double(try loss.item()), expectedLoss, accuracy: 1e-5, "λ \(lambda) ε \(smoothing)")
        }
    }

    func testGradientThroughALinearModelMatchesFiniteDifferences() throws {
        let generator = RandomGenerator(seed: 5)
        let x = try Tensor.uniform([6, 3], low: -1, high: 1, generator: generator)
        let plain = Batch(features: x, labels: [0, 1, 2, 0, 1, 2], rows: Array(0..<6))
        let mixed = try Mixup(alpha: 0.4).mix(plain, generator: RandomGenerator(seed: 9))
        XCTAssertNotEqual(mixed.lambda, 1)
        let weight = try Tensor.uniform([3, 3], low: -1, high: 1, generator: generator)
        let report = try GradientCheck.check([weight]) { tensors in
            try mixed.loss(try Tensor.matmul(mixed.features, tensors[0]), crossEntropyLoss)
        }
        XCTAssertTrue(report.passed, report.description)
    }

    func testFitWithMixupIsReproducibleAndLearns() throws {
        let train = try TrainingFixtures.clusters(perClass: 30, seed: 1)
        let validation = try TrainingFixtures.clusters(perClass: 20, seed: 2)
        func run(seed: UInt64) throws -> (History, Module) {
            let model = try TrainingFixtures.mlp()
            var options = TrainingFixtures.quiet(epochs: 12)
            options.seed = seed
            options.mixup = try Mixup(alpha: 0.4)
            options.loss = { try Loss.crossEntropy($0, targets: $1, labelSmoothing: 0.1) }
            let history = try fit(model, optimizer: try SGD(parameters: model.parameters(), learningRate: 0.05, momentum: 0.8),
                                  train: train, validation: validation, options: options)
            return (history, model)
        }
        let (first, firstModel) = try run(seed: 4)
        let (second, secondModel) = try run(seed: 4)
        let (_, otherModel) = try run(seed: 5)
        XCTAssertEqual(firstModel.stateDict(), secondModel.stateDict(), "same seed, same weights bit for bit")
        XCTAssertEqual(first.epochs.map(\.trainLoss), second.epochs.map(\.trainLoss))
        XCTAssertNotEqual(firstModel.stateDict(), otherModel.stateDict())
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(first.epochs.last?.validationAccuracy), 0.95)
        let accuracies = first.epochs.map(\.trainAccuracy)
        XCTAssertTrue(accuracies.contains { abs($0 * 90 - ($0 * 90).rounded()) > 1e-6 },
                      "mixed batches count fractional hits: \(accuracies)")
    }
}
