import Engine
import XCTest

/// Losses against sums written out in double precision, and gradients against finite differences.
final class LossTests: XCTestCase {
    private let logitRows: [[Float]] = [[2.0, -1.0, 0.5], [0.1, 0.2, 0.3], [-1.5, 3.0, 0.0], [1.0, 1.0, -2.0]]
    private let targets = [0, 2, 1, 1]
    private let classWeights: [Float] = [0.2, 1.0, 3.0]

    /// PyTorch's documented formula, element by element in Double.
    private func referenceCrossEntropy(weights: [Float]?, smoothing: Double, reduction: Reduction) -> [Double] {
        let w = (weights ?? [1, 1, 1]).map(Double.init)
        var perSample: [Double] = [], totalWeight = 0.0
        for (row, y) in zip(logitRows, targets) {
            let z = row.map(Double.init)
            let logSum = Foundation.log(z.map { Foundation.exp($0) }.reduce(0, +))
            let logP = z.map { $0 - logSum }
            let nll = -w[y] * logP[y]
            let smooth = -zip(w, logP).map { $0 * $1 }.reduce(0, +)
            perSample.append((1 - smoothing) * nll + smoothing / Double(z.count) * smooth)
            totalWeight += w[y]
        }
        switch reduction {
        case .none: return perSample
        case .sum: return [perSample.reduce(0, +)]
        case .mean: return [perSample.reduce(0, +) / totalWeight]
        }
    }

    func testCrossEntropyMatchesFormulaForEveryOption() throws {
        let logits = try Tensor(rows: logitRows)
        for weights in [nil, classWeights] {
            for smoothing in [0.0, 0.1, 0.35] {
                for reduction in Reduction.allCases {
                    let loss = try Loss.crossEntropy(logits, targets: targets, weight: weights.map { Tensor($0) },
                                                     labelSmoothing: Float(smoothing), reduction: reduction)
                    let expected = referenceCrossEntropy(weights: weights, smoothing: smoothing, reduction: reduction)
                    XCTAssertEqual(loss.count, expected.count)
                    for (got, want) in zip(loss.values, expected) {
                        XCTAssertEqual(Double(got), want, accuracy: 1e-5, "weights \(String(describing: weights)) ε \(smoothing) \(reduction)")
                    }
                }
            }
        }
    }

    func testCrossEntropyKnownValue() throws {
        // Uniform logits over 4 classes: loss is log 4 whatever the target.
        let loss = try Loss.crossEntropy(Tensor.zeros([3, 4]), targets: [0, 3, 1])
        XCTAssertEqual(try loss.item(), Float(Foundation.log(4.0)), accuracy: 1e-6)
    }

    func testCrossEntropyGradients() throws {
        let rng = GradTest.generator(31)
        let logits = try GradTest.normal([5, 4], rng)
        let labels = [3, 0, 1, 1, 2]
        let weight = try GradTest.uniform([4], 0.5, 2, rng)
        for smoothing: Float in [0, 0.2] {
            for reduction in Reduction.allCases {
                assertGradientsMatch([logits]) { try Loss.crossEntropy($0[0], targets: labels, labelSmoothing: smoothing, reduction: reduction) }
                assertGradientsMatch([logits]) {
                    try Loss.crossEntropy($0[0], targets: labels, weight: weight, labelSmoothing: smoothing, reduction: reduction)
                }
            }
        }
    }

    func testNLLAndTensorTargets() throws {
        let logProbs = try Tensor(rows: logitRows).logSoftmax(dim: 1)
        let fromInts = try Loss.nll(logProbs, targets: targets, weight: Tensor(classWeights))
        let fromTensor = try Loss.nll(logProbs, targets: Tensor(targets.map(Float.init)), weight: Tensor(classWeights))
        XCTAssertEqual(try fromInts.item(), try fromTensor.item())
        XCTAssertEqual(Double(try fromInts.item()), referenceCrossEntropy(weights: classWeights, smoothing: 0, reduction: .mean)[0], accuracy: 1e-5)
        let rng = GradTest.generator(32)
        let lp = try GradTest.normal([4, 3], rng)
        assertGradientsMatch([lp]) { try Loss.nll($0[0], targets: self.targets, weight: Tensor(self.classWeights)) }
        assertGradientsMatch([lp]) { try Loss.nll($0[0], targets: self.targets, reduction: .none) }
    }

    func testBadTargetsThrow() throws {
        let logits = try Tensor.zeros([2, 3])
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: [0, 3])) { XCTAssertTrue("\($0)".contains("target 3"), "\($0)") }
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: [0])) { XCTAssertTrue("\($0)".contains("[2, 3]"), "\($0)") }
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: Tensor([0, 1.5])))
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: [0, 1], weight: Tensor([1, 2])))
        XCTAssertThrowsError(try Loss.crossEntropy(logits, targets: [0, 1], labelSmoothing: 1.5))
        XCTAssertThrowsError(try Loss.mse(logits, Tensor.zeros([3, 2]))) { XCTAssertTrue("\($0)".contains("mse_loss"), "\($0)") }
    }

    func testMSE() throws {
        let a = try Tensor(shape: [2, 2], values: [1, 2, 3, 4]), b = try Tensor(shape: [2, 2], values: [0, 2, 5, 1])
        XCTAssertEqual(try Loss.mse(a, b).item(), (1 + 0 + 4 + 9) / 4)
        XCTAssertEqual(try Loss.mse(a, b, reduction: .sum).item(), 14)
        XCTAssertEqual(try Loss.mse(a, b, reduction: .none).values, [1, 0, 4, 9])
        assertGradientsMatch([a.clone(), b.clone()]) { try Loss.mse($0[0], $0[1]) }
    }
}
