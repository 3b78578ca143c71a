import Engine
import XCTest

/// Gradient clipping and learning-rate schedules against closed forms.
final class ClippingAndScheduleTests: XCTestCase {
    func testClipNormRescalesAllGradientsTogether() throws {
        let a = Tensor([0, 0], requiresGrad: true), b = Tensor([0], requiresGrad: true), c = Tensor([0], requiresGrad: true)
        a.grad = Tensor([3, 4])
        b.grad = Tensor([12])
        let norm = try GradientClipping.clipNorm([a, b, c], maxNorm: 6.5)
        XCTAssertEqual(norm, 13, accuracy: 1e-6)
        XCTAssertEqual(a.grad?.values[0] ?? 0, 1.5, accuracy: 1e-5)
        XCTAssertEqual(a.grad?.values[1] ?? 0, 2, accuracy: 1e-5)
        XCTAssertEqual(b.grad?.values[0] ?? 0, 6, accuracy: 1e-5)
        XCTAssertEqual(try GradientClipping.clipNorm([a, b], maxNorm: 100), 6.5, accuracy: 1e-4)   // under the limit: untouched
        XCTAssertEqual(b.grad?.values[0] ?? 0, 6, accuracy: 1e-5)
        XCTAssertEqual(try GradientClipping.clipNorm([a, b], maxNorm: 3, normType: .infinity), 6, accuracy: 1e-6)
        XCTAssertEqual(b.grad?.values[0] ?? 0, 3, accuracy: 1e-5)
        a.grad = Tensor([1, -2])
        XCTAssertEqual(try GradientClipping.clipNorm([a], maxNorm: 100, normType: 1), 3, accuracy: 1e-6)
        GradientClipping.clipValue([a], clipValue: 1.5)
        XCTAssertEqual(a.grad?.values, [1, -1.5])
    }

    func testStepLR() throws {
        let sgd = try SGD(parameters: [], learningRate: 1)
        let schedule = try StepLR(optimizer: sgd, stepSize: 2, gamma: 0.5)
        var rates: [Float] = []
        for _ in 0..<6 {
            try schedule.step()
            rates.append(sgd.learningRate)
        }
        XCTAssertEqual(rates, [1, 0.5, 0.5, 0.25, 0.25, 0.125])
    }

    func testCosineAnnealingFollowsClosedForm() throws {
        let sgd = try SGD(parameters: [], learningRate: 0.1)
        let (tMax, minimum) = (10, 0.001)
        let schedule = try CosineAnnealingLR(optimizer: sgd, tMax: tMax, minimumRate: minimum)
        for t in 1...(2 * tMax + 5) {
            try schedule.step()
            let expected = minimum + (0.1 - minimum) * (1 + Foundation.cos(Double.pi * Double(t) / Double(tMax))) / 2
            XCTAssertEqual(Double(sgd.learningRate), expected, accuracy: 1e-7, "epoch \(t)")
        }
    }

    func testReduceOnPlateauWithPatienceCooldownAndThreshold() throws {
        let sgd = try SGD(parameters: [], learningRate: 1)
        let plateau = try ReduceLROnPlateau(optimizer: sgd, factor: 0.5, patience: 2, cooldown: 1, minimumRate: 0.2)
        // 8.9995 is within the relative threshold of 9 (needs < 8.9991), so it does not count as better.
        let metrics: [Double] = [10, 9, 8.9995, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9]
        var rates: [Float] = []
        for m in metrics {
            try plateau.step(metric: m)
            rates.append(sgd.learningRate)
        }
        // Bad epochs from the 3rd; the 5th is the third bad one (> patience 2) → 0.5; one cooldown
        // epoch, then three more bad epochs → 0.25 at the 9th; then 0.2 (the floor) at the 13th.
        XCTAssertEqual(rates, [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.2])
        XCTAssertThrowsError(try plateau.step())

        let maxMode = try ReduceLROnPlateau(optimizer: sgd, mode: .max, patience: 0, thresholdMode: .abs)
        try maxMode.step(metric: 0.5)
        try maxMode.step(metric: 0.6)
        XCTAssertEqual(sgd.learningRate, 0.2)
        try maxMode.step(metric: 0.6)           // not better by the absolute threshold → reduce
        XCTAssertEqual(sgd.learningRate, 0.02, accuracy: 1e-8)
    }
}
