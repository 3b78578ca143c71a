
/// Sizes of one recurrent direction over a batch-first sequence `(batch, steps, inputSize)` whose
/// gate block has `gates` parts of `hiddenSize` each (LSTM 4: i, f, g, o; GRU 3: r, z, n). The
/// hidden state — the output — has `outputSize` features: `hiddenSize`, or an LSTM's `proj_size`.
public struct RecurrentGeometry: Equatable, Sendable {
    public var batch: Int
    public var steps: Int
    public var inputSize: Int
    public var hiddenSize: Int
    public var gates: Int
    public var outputSize: Int

    public init(batch: Int, steps: Int, inputSize: Int, hiddenSize: Int, gates: Int, outputSize: Int? = nil) {
        self.batch = batch
        self.steps = steps
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.gates = gates
        self.outputSize = outputSize ?? hiddenSize
    }

    /// An LSTM direction's sizes (4 gates), projected to `outputSize` when given.
    public static func lstm(batch: Int, steps: Int, inputSize: Int, hiddenSize: Int, outputSize: Int? = nil) -> RecurrentGeometry {
        RecurrentGeometry(batch: batch, steps: steps, inputSize: inputSize, hiddenSize: hiddenSize, gates: 4, outputSize: outputSize)
    }

    /// A GRU direction's sizes (3 gates).
    public static func gru(batch: Int, steps: Int, inputSize: Int, hiddenSize: Int) -> RecurrentGeometry {
        RecurrentGeometry(batch: batch, steps: steps, inputSize: inputSize, hiddenSize: hiddenSize, gates: 3)
    }

    /// Width of the gate block: `gates · hiddenSize`.
    public var gateWidth: Int { gates * hiddenSize }

    /// The steps in processing order: backwards for the reverse direction.
    func stepOrder(reverse: Bool) -> [Int] {
        reverse ? Array((0..<steps).reversed()) : Array(0..<steps)
    }

    /// Whether `step` lies past sequence `s`'s length (never without `lengths`). A padded step passes
    /// the states on unchanged, so a reverse direction starts from the initial states at the sequence's
    /// last step and a forward one ends with the states of its last step at `steps − 1`.
    @inline(__always)
    func isPadding(_ s: Int, _ step: Int, _ lengths: [Int]?) -> Bool {
        guard let lengths else { return false }
        return step >= lengths[s]
    }

    /// The step processed before the one at position `index` of the processing order, whose states
    /// the step starts from; nil for the first, which starts from the initial states.
    @inline(__always)
    func previousStep(_ index: Int, _ step: Int, reverse: Bool) -> Int? {
        index == 0 ? nil : (reverse ? step + 1 : step - 1)
    }
}

/// The GEMMs and sums both recurrent kernels' backward passes end with, once every step's gate
/// gradients are known.
enum RecurrentGradients {
    /// `dW_ih = dInputGatesᵀ·x`, `dW_hh = dHiddenGatesᵀ·h_{t−1}`, `dx = dInputGates·W_ih`, and the bias
    /// gradients as column sums (`gradBiasHH` from the hidden gates). An LSTM passes one gate gradient
    /// for both; a GRU's differ in the `n` gate, where `r` multiplies the hidden term.
    package static func finish(_ g: RecurrentGeometry, input: UnsafePointer<Float>, weightIH: UnsafePointer<Float>,
                       gradInputGates: UnsafePointer<Float>, gradHiddenGates: UnsafePointer<Float>,
                       previousHidden: UnsafePointer<Float>, gradInput: UnsafeMutablePointer<Float>?,
                       gradWeightIH: UnsafeMutablePointer<Float>, gradWeightHH: UnsafeMutablePointer<Float>,
                       gradBiasIH: UnsafeMutablePointer<Float>?, gradBiasHH: UnsafeMutablePointer<Float>?) {
        let (rows, w, h, n) = (g.batch * g.steps, g.gateWidth, g.outputSize, g.inputSize)
        BLAS.sgemm(transA: true, m: w, n: h, k: rows, a: gradHiddenGates, lda: w, b: previousHidden, ldb: h,
                   c: gradWeightHH, ldc: h)
        BLAS.sgemm(transA: true, m: w, n: n, k: rows, a: gradInputGates, lda: w, b: input, ldb: n,
                   c: gradWeightIH, ldc: n)
        if let gradInput {
            BLAS.sgemm(m: rows, n: n, k: w, a: gradInputGates, lda: w, b: weightIH, ldb: n, c: gradInput, ldc: n)
        }
        for (gradBias, gates) in [(gradBiasIH, gradInputGates), (gradBiasHH, gradHiddenGates)] {
            guard let gradBias else { continue }
            gradBias.update(repeating: 0, count: w)
            for r in 0..<rows {
                let row = gates + r * w
                for j in 0..<w { gradBias[j] += row[j] }
            }
        }
    }
}
