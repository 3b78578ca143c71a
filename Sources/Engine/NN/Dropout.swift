import EngineTensor

/// Inverted dropout: in training, zeroes each value with probability `p` and scales the survivors by
/// `1/(1 − p)`; in eval (or with `p = 0`) passes the input through. Draws from its own seeded
/// `RandomGenerator` (by default a fork of the global one), so runs are reproducible.
public final class Dropout: Module {
    public let probability: Float
    package let generator: RandomGenerator

    public init(_ probability: Float = 0.5, generator: RandomGenerator? = nil) throws {
        guard probability >= 0, probability <= 1 else {
            throw LayerConfigurationError(layer: "Dropout", reason: "probability must lie in [0, 1], got \(probability)")
        }
        self.probability = probability
        self.generator = generator ?? RandomGenerator.global.fork()
        super.init()
    }

    public override var typeDescription: String { "Dropout(p: \(probability))" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard isTraining, probability > 0 else { return input }
        let mask = try Dropout.mask(count: input.count, probability: probability, generator: generator)
        let output = try Tensor.uninitialized(input.shape)
        let (x, m, y) = (input.storage.pointer, mask.pointer, output.storage.pointer)
        for i in 0..<input.count { y[i] = x[i] * m[i] }
        return Tensor.record(output, op: "dropout", parents: [input]) { gradOutput in
            let gradInput = try Tensor.uninitialized(input.shape)
            let (dy, dx, m) = (gradOutput.storage.pointer, gradInput.storage.pointer, mask.pointer)
            for i in 0..<input.count { dx[i] = dy[i] * m[i] }
            return [gradInput]
        }
    }

    /// `count` keep-multipliers: 0 with probability `p`, else `1/(1 − p)`.
    static func mask(count: Int, probability: Float, generator: RandomGenerator) throws -> TensorStorage {
        let mask = TensorStorage(uninitializedCount: count)
        generator.fillUniform(mask.buffer)
        let keep = probability < 1 ? 1 / (1 - probability) : 0
        let m = mask.pointer
        for i in 0..<count { m[i] = m[i] < probability ? 0 : keep }
        return mask
    }
}

extension Dropout: StochasticLayer {
    package var randomGenerators: [RandomGenerator] { [generator] }
}
