import Engine
import Foundation

/// An Engine `Tensor` as a script value (by reference, like PyTorch tensors).
/// Shared by the data bindings (FeatureSet inputs) and the model bindings (tensor ops, layers).
public final class TensorValue: ScriptObject {
    public let tensor: Tensor

    public init(_ tensor: Tensor) { self.tensor = tensor }

    public var typeName: String { "Tensor" }
    /// `Tensor[32, 1, 128, 563]`
    public var summary: String { "Tensor[" + tensor.shape.map(String.init).joined(separator: ", ") + "]" }
    /// Shape plus min / max / mean / std (population) of the values.
    public var details: String {
        let stats = TensorStatistics(tensor)
        guard tensor.count > 0 else { return summary + " (empty)" }
        return summary + String(format: "  min %.4g  max %.4g  mean %.4g  std %.4g", stats.min, stats.max, stats.mean, stats.std)
    }
}

/// Summary statistics of a tensor's values in one pass (double accumulators).
struct TensorStatistics {
    var min: Float = .infinity
    var max: Float = -.infinity
    var mean = 0.0
    var std = 0.0

    init(_ tensor: Tensor) {
        var sum = 0.0, squares = 0.0
        var low = Float.infinity, high = -Float.infinity
        tensor.withUnsafeBufferPointer { values in
            for x in values {
                low = Swift.min(low, x)
                high = Swift.max(high, x)
                sum += Double(x)
                squares += Double(x) * Double(x)
            }
        }
        let n = Double(tensor.count)
        min = low
        max = high
        guard n > 0 else { return }
        mean = sum / n
        std = Swift.max(0, squares / n - mean * mean).squareRoot()
    }
}
