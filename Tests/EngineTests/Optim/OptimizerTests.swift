import Engine
import XCTest

/// Optimizer updates against steps worked out by hand or from the published formulas.
final class OptimizerTests: XCTestCase {
    private func parameter(_ values: [Float]) -> Tensor { Tensor(values, requiresGrad: true) }

    private func assertValues(_ t: Tensor, _ expected: [Double], accuracy: Double = 1e-6,
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(t.count, expected.count, file: file, line: line)
        for (a, e) in zip(t.values, expected) { XCTAssertEqual(Double(a), e, accuracy: accuracy, file: file, line: line) }
    }

    /// Two steps with gradient g = [0.5, 0.25] at p = [1, -2], lr 0.1, μ 0.9, λ 0.01.
    func testSGDMomentumWeightDecayByHand() throws {
        let p = parameter([1, -2])
        let sgd = try SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        p.grad = Tensor([0.5, 0.25])
        try sgd.step()
        // d = g + λp = [0.51, 0.23]; b = d; p −= 0.1·b.
        assertValues(p, [0.949, -2.023])
        try sgd.step()
        // d = [0.50949, 0.22977]; b = 0.9·[0.51, 0.23] + d = [0.96849, 0.43677].
        assertValues(p, [0.852151, -2.066677])
    }

    func testSGDNesterovAndDampeningByHand() throws {
        let p = parameter([1, -2])
        let nesterov = try SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)
        p.grad = Tensor([0.5, 0.25])
        try nesterov.step()
        // First step: b = d, update d + μb = 1.9·[0.51, 0.23].
        assertValues(p, [0.9031, -2.0437])

        let q = parameter([1, 1])
        let damped = try SGD(parameters: [q], learningRate: 1, momentum: 0.5, dampening: 0.5)
        q.grad = Tensor([1, 2])
        try damped.step()          // b = g (no dampening on the first step) → q = [0, -1]
        try damped.step()          // b = 0.5·[1, 2] + 0.5·[1, 2] = [1, 2] → q = [-1, -3]
        assertValues(q, [-1, -3])
        let plain = try SGD(parameters: [q], learningRate: 0.5)
        try plain.step()
        assertValues(q, [-1.5, -4])
        XCTAssertThrowsError(try SGD(parameters: [q], learningRate: 0.1, nesterov: true))
    }

    func testAdamFirstTwoStepsMatchFormula() throws {
        let (b1, b2, lr, eps) = (0.9, 0.999, 0.01, 1e-8)
        let p0: [Double] = [0.5, -1.5, 2], g1: [Double] = [0.2, -0.1, 0.0004], g2: [Double] = [-0.3, 0.05, 0.001]
        let p = parameter(p0.map(Float.init))
        let adam = try Adam(parameters: [p], learningRate: Float(lr))
        p.grad = Tensor(g1.map(Float.init))
        try adam.step()
        // Step 1: m̂ = g, v̂ = g², so each parameter moves by lr·g/(|g| + ε).
        assertValues(p, zip(p0, g1).map { $0 - lr * $1 / (Swift.abs($1) + eps) }, accuracy: 1e-6)
        p.grad = Tensor(g2.map(Float.init))
        try adam.step()
        let expected = (0..<3).map { i -> Double in
            let step1 = p0[i] - lr * g1[i] / (Swift.abs(g1[i]) + eps)
            let m = b1 * (1 - b1) * g1[i] + (1 - b1) * g2[i]
            let v = b2 * (1 - b2) * g1[i] * g1[i] + (1 - b2) * g2[i] * g2[i]
            return step1 - lr * (m / (1 - b1 * b1)) / ((v / (1 - b2 * b2)).squareRoot() + eps)
        }
        assertValues(p, expected, accuracy: 2e-6)
        XCTAssertEqual(try adam.state()["state.0.step"]?.item(), 2)
    }

    func testAdamCoupledAndAdamWDecoupledDecay() throws {
        let p = parameter([2, -4]), q = parameter([2, -4])
        let adam = try Adam(parameters: [p], learningRate: 0.1, weightDecay: 0.5)
        let adamW = try AdamW(parameters: [q], learningRate: 0.1, weightDecay: 0.5)
        p.grad = Tensor([0.3, 0.3])
        q.grad = Tensor([0.3, 0.3])
        try adam.step()
        try adamW.step()
        // Adam: g' = g + λp = [1.3, −1.7], first step moves by lr·sign(g').
        assertValues(p, [1.9, -3.9], accuracy: 1e-6)
        // AdamW: p·(1 − lr·λ) = [1.9, −3.8], then lr·sign(g) = 0.1.
        assertValues(q, [1.8, -3.9], accuracy: 1e-6)
    }

    func testAMSGradUsesRunningMaximum() throws {
        let p = parameter([0]), q = parameter([0])
        let ams = try Adam(parameters: [p], learningRate: 0.1, amsgrad: true)
        let plain = try Adam(parameters: [q], learningRate: 0.1)
        for g: Float in [10, 0.1] {
            p.grad = Tensor([g])
            q.grad = Tensor([g])
            try ams.step()
            try plain.step()
        }
        // After a large then a small gradient, the kept maximum shrinks AMSGrad's second step.
        XCTAssertGreaterThan(p.values[0], q.values[0])
        XCTAssertNotNil(ams.state()["state.0.max_exp_avg_sq"])
    }

    func testParametersWithoutGradientsAreLeftAlone() throws {
        let p = parameter([1]), frozen = parameter([5])
        let adam = try Adam(parameters: [p, frozen])
        p.grad = Tensor([1])
        try adam.step()
        XCTAssertEqual(frozen.values, [5])
        XCTAssertNil(adam.state()["state.1.exp_avg"])
        adam.zeroGrad()
        XCTAssertNil(p.grad)
    }

    func testStateRoundTripContinuesIdentically() throws {
        for make in [{ try SGD(parameters: $0, learningRate: 0.1, momentum: 0.9) as any Optimizer },
                     { try Adam(parameters: $0, learningRate: 0.01) as any Optimizer },
                     { try AdamW(parameters: $0, learningRate: 0.01, amsgrad: true) as any Optimizer }] {
            let a = parameter([1, 2, 3]), b = parameter([1, 2, 3])
            let first = try make([a])
            for g: Float in [0.1, -0.2] {
                a.grad = Tensor([g, g, g])
                try first.step()
            }
            b.withUnsafeMutableBufferPointer { dst in a.withUnsafeBufferPointer { for i in 0..<3 { dst[i] = $0[i] } } }
            let second = try make([b])
            try second.loadState(first.state())
            a.grad = Tensor([0.3, -0.1, 0.2])
            b.grad = Tensor([0.3, -0.1, 0.2])
            try first.step()
            try second.step()
            XCTAssertEqual(a.values, b.values)
            XCTAssertThrowsError(try second.loadState(["state.5.exp_avg": Tensor([1])]))
            XCTAssertThrowsError(try second.loadState(["state.0.momentum_buffer": Tensor([1])]))
        }
    }

    func testOptimizersMinimiseAQuadratic() throws {
        for make in [{ try SGD(parameters: $0, learningRate: 0.1, momentum: 0.9, nesterov: true) as any Optimizer },
                     { try Adam(parameters: $0, learningRate: 0.1) as any Optimizer }] {
            let w = parameter([3, -2])
            let optimizer = try make([w])
            for _ in 0..<300 {
                optimizer.zeroGrad()
                try ((w - Tensor([1, 1])).pow(2)).sum().backward()
                try optimizer.step()
            }
            assertValues(w, [1, 1], accuracy: 1e-3)
        }
    }
}
