import EngineTensor

/// PyTorch's default parameter initialisations.
enum Initialization {
    /// Values uniform in `[-bound, bound)`: `kaiming_uniform_(a = √5)` for Linear/Conv weights gives
    /// `bound = 1/√fan_in`, the same as their bias rule.
    static func uniform(_ shape: [Int], bound: Float, generator: RandomGenerator) throws -> Tensor {
        let tensor = try Tensor.uninitialized(shape)
        tensor.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: -bound, high: bound) }
        return tensor
    }

    /// `1/√fan_in`, the bound of PyTorch's default Linear/Conv weight and bias initialisation.
    static func fanInBound(_ fanIn: Int) -> Float { 1 / Float(max(1, fanIn)).squareRoot() }

    /// `xavier_uniform_` for a `(fanOut, fanIn)` matrix: bound `√(6 / (fanIn + fanOut))`.
    static func xavierUniform(fanOut: Int, fanIn: Int, generator: RandomGenerator) throws -> Tensor {
        try uniform([fanOut, fanIn], bound: (6 / Float(fanIn + fanOut)).squareRoot(), generator: generator)
    }
}

/// A layer constructor was given sizes it cannot build with.
public struct LayerConfigurationError: Error, CustomStringConvertible {
    /// The layer being built, e.g. `Linear`.
    public var layer: String
    /// What is wrong with its arguments.
    public var reason: String
    public var description: String { "\(layer): \(reason)" }
}

/// Throws a `LayerConfigurationError` for `layer` unless every value is positive.
func requirePositive(_ layer: String, _ values: KeyValuePairs<String, Int>) throws {
    for (name, value) in values where value <= 0 {
        throw LayerConfigurationError(layer: layer, reason: "\(name) must be positive, got \(value)")
    }
}
