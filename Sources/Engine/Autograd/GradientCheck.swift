
/// Finite-difference verification of a differentiable function's backward pass, for tests of
/// ops and layers anywhere in the project.
///
/// The function's output is projected onto fixed random weights `w` (seeded) so every output
/// element matters: the analytic gradient of `Σ w·f(x)` from `backward()` is compared with the
/// central difference `(L(x+ε) − L(x−ε)) / 2ε`, with `L` summed in double precision.
public enum GradientCheck {
    /// Outcome of one check: the worst disagreement found and where.
    public struct Report: CustomStringConvertible {
        /// Whether every gradient element satisfied `|analytic − numeric| ≤ atol + rtol·|numeric|`.
        public let passed: Bool
        /// Largest absolute difference between analytic and numeric gradient.
        public let maxAbsoluteError: Float
        /// Input index, flat element index, analytic and numeric values at the worst element.
        public let worst: (input: Int, element: Int, analytic: Float, numeric: Float)?
        /// Number of gradient elements compared.
        public let checkedElements: Int

        public var description: String {
            guard let worst else { return "gradient check: no elements" }
            return "gradient check \(passed ? "passed" : "FAILED") over \(checkedElements) elements: max |error| \(maxAbsoluteError) "
                + "at input \(worst.input) element \(worst.element) (analytic \(worst.analytic), numeric \(worst.numeric))"
        }
    }

    /// Checks d f(inputs) / d inputs. `inputs` get `requiresGrad = true` and their `grad` reset;
    /// their values are perturbed and restored. Choose values away from kinks (ReLU at 0, ties
    /// in max). `epsilon` suits float32 values of order 1.
    public static func check(_ inputs: [Tensor], epsilon: Float = 1e-2, absoluteTolerance: Float = 2e-3,
                             relativeTolerance: Float = 1e-2, seed: UInt64 = 7,
                             _ function: ([Tensor]) throws -> Tensor) throws -> Report {
        for input in inputs {
            input.requiresGrad = true
            input.grad = nil
        }
        let output = try function(inputs)
        let weights = try Tensor.uniform(output.shape, low: -1, high: 1, generator: RandomGenerator(seed: seed))
        try output.backward(gradient: weights)

        func projectedLoss() throws -> Double {
            let y = try GradMode.withDisabled { try function(inputs) }
            var total = 0.0
            let yp = y.storage.pointer, wp = weights.storage.pointer
            for i in 0..<y.count { total += Double(yp[i]) * Double(wp[i]) }
            return total
        }

        var maxError: Float = 0, passed = true, checked = 0
        var worst: (input: Int, element: Int, analytic: Float, numeric: Float)?
        for (k, input) in inputs.enumerated() {
            let analytic = input.grad ?? Tensor.zeros(like: input)
            let x = input.storage.pointer
            for i in 0..<input.count {
                let saved = x[i]
                x[i] = saved + epsilon
                let plus = try projectedLoss()
                x[i] = saved - epsilon
                let minus = try projectedLoss()
                x[i] = saved
                let numeric = Float((plus - minus) / (2 * Double(epsilon)))
                let a = analytic.storage.pointer[i]
                let error = Swift.abs(a - numeric)
                checked += 1
                if !(error <= absoluteTolerance + relativeTolerance * Swift.abs(numeric)) { passed = false }
                if error > maxError || worst == nil || error.isNaN {
                    maxError = error.isNaN ? .nan : Swift.max(maxError, error)
                    worst = (k, i, a, numeric)
                }
            }
        }
        return Report(passed: passed, maxAbsoluteError: maxError, worst: worst, checkedElements: checked)
    }
}
