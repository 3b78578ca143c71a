import Foundation
import EngineFormats
import EngineTensor

extension FeatureMatrix {
    /// Local derivative along the frames (librosa.feature.delta): a Savitzky–Golay filter of `width`
    /// (odd, ≥ 3) frames and polynomial order `order`, evaluating the `order`-th derivative. The first
    /// and last `width / 2` frames use the polynomial fitted to the first / last full window
    /// (scipy's mode='interp'), so `width` may not exceed the number of frames.
    public func delta(width: Int = 9, order: Int = 1) throws -> FeatureMatrix {
        guard width >= 3, width % 2 == 1 else { throw AudioParameterError("delta", "width must be an odd integer >= 3, got \(width)") }
        guard order >= 1 else { throw AudioParameterError("delta", "order must be a positive integer, got \(order)") }
        guard order < width else { throw AudioParameterError("delta", "order \(order) needs a width above it, got \(width)") }
        guard width <= columns else {
            throw AudioParameterError("delta", "width=\(width) cannot exceed the \(columns) frames of the input")
        }
        let half = width / 2
        // coefficients[p] weighs the window's samples to give the derivative at window position p.
        let coefficients = (0..<width).map { SavitzkyGolay.derivativeWeights(width: width, polynomialOrder: order,
                                                                              derivative: order, at: $0) }
        var out = FeatureMatrix(zerosRows: rows, columns: columns)
        for r in 0..<rows {
            let row = r * columns
            for t in 0..<columns {
                let (start, position): (Int, Int)
                if t < half { (start, position) = (0, t) }
                else if t >= columns - half { (start, position) = (columns - width, t - (columns - width)) }
                else { (start, position) = (t - half, half) }
                var sum = 0.0
                for j in 0..<width { sum += coefficients[position][j] * Double(values[row + start + j]) }
                out.values[row + t] = Float(sum)
            }
        }
        return out
    }
}

/// Least-squares polynomial derivative weights.
enum SavitzkyGolay {
    /// Weights `w` such that `Σ w_j x_j` is the `derivative`-th derivative, at window position `at`,
    /// of the degree-`polynomialOrder` polynomial fitted to `x_0 … x_{width−1}` (unit spacing).
    static func derivativeWeights(width: Int, polynomialOrder p: Int, derivative d: Int, at position: Int) -> [Double] {
        // Positions centred on the window so the normal equations stay well conditioned.
        let centre = Double(width - 1) / 2
        let xs = (0..<width).map { Double($0) - centre }
        let n = p + 1
        // Normal matrix G = VᵀV with V[j][i] = xs[j]^i.
        var gram = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for k in 0..<n { gram[i * n + k] = xs.reduce(0) { $0 + pow($1, Double(i + k)) } } }
        // The derivative of Σ a_i x^i at x0 is Σ a_i · i!/(i−d)! · x0^(i−d): a row vector e.
        let x0 = Double(position) - centre
        var e = [Double](repeating: 0, count: n)
        for i in d..<n {
            var falling = 1.0
            for m in 0..<d { falling *= Double(i - m) }
            e[i] = falling * pow(x0, Double(i - d))
        }
        // w = V · G⁻¹ · eᵀ: solve G z = e (G is symmetric positive definite), then w_j = Σ_i V[j][i] z_i.
        let z = solve(gram, e, n)
        return xs.map { x in (0..<n).reduce(0) { $0 + pow(x, Double($1)) * z[$1] } }
    }

    /// Gaussian elimination with partial pivoting on a small dense system.
    private static func solve(_ matrix: [Double], _ rhs: [Double], _ n: Int) -> [Double] {
        var a = matrix, b = rhs
        for col in 0..<n {
            var pivot = col
            for r in col + 1..<n where abs(a[r * n + col]) > abs(a[pivot * n + col]) { pivot = r }
            if pivot != col {
                for k in 0..<n { a.swapAt(col * n + k, pivot * n + k) }
                b.swapAt(col, pivot)
            }
            let diagonal = a[col * n + col]
            guard diagonal != 0 else { continue }
            for r in col + 1..<n {
                let factor = a[r * n + col] / diagonal
                for k in col..<n { a[r * n + k] -= factor * a[col * n + k] }
                b[r] -= factor * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[r]
            for k in r + 1..<n { sum -= a[r * n + k] * x[k] }
            x[r] = a[r * n + r] == 0 ? 0 : sum / a[r * n + r]
        }
        return x
    }
}
