import Foundation
import EngineFormats

/// A tensor operation that cannot run on the arguments it was given: names the operation and,
/// for shape faults, every shape involved. Never a trap.
public struct TensorError: Error, CustomStringConvertible, Equatable {
    /// The operation at fault, e.g. `"matmul"` or `"Linear(64 → 8)"`.
    public var op: String
    /// What is wrong, in words a script author can act on.
    public var reason: String

    /// An error of `op` for `reason`.
    public init(op: String, reason: String) {
        self.op = op
        self.reason = reason
    }

    /// The two operand shapes of a binary operation do not fit together.
    public static func shapes(_ op: String, _ lhs: [Int], _ rhs: [Int], _ detail: String = "") -> TensorError {
        TensorError(op: op, reason: "shapes \(lhs) and \(rhs) are incompatible" + (detail.isEmpty ? "" : ": \(detail)"))
    }

    public var description: String { "\(op): \(reason)" }
}

/// Dimension helpers shared by every op family.
package enum Dim {
    /// Resolves a possibly negative `dim` against `rank`, or throws naming `op`.
    static func normalize(_ dim: Int, rank: Int, op: String, shape: [Int]) throws -> Int {
        let d = dim < 0 ? dim + rank : dim
        guard d >= 0, d < rank else {
            throw TensorError(op: op, reason: "dimension \(dim) is out of range for shape \(shape) (rank \(rank))")
        }
        return d
    }

    /// Number of elements of `shape`.
    @inline(__always) package static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides of `shape`.
    static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = step
            step *= shape[i]
        }
        return strides
    }

    /// Throws unless every dimension of `shape` is non-negative and its float32 values would fit
    /// in `maximumElements` (so no overflow or failed allocation can trap later).
    package static func validate(_ shape: [Int], op: String) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError(op: op, reason: "shape \(shape) has a negative dimension")
        }
        var elements = 1
        for d in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: d)
            guard !overflow, product <= maximumElements else {
                throw TensorError(op: op, reason: "shape \(shape) is too large: its float32 values would not fit in memory")
            }
            elements = product
        }
        try MemoryProbe.check(bytes: elements * MemoryLayout<Float>.stride, "a tensor of shape \(shape) (\(op))")
    }

    /// Throws unless `count` float32 values (computed in floating point from script parameters,
    /// so it may be huge or not finite) could be allocated; `what` names them for the message.
    /// Checked before allocating, since a failed allocation is a trap.
    package static func validateCount(_ count: Double, op: String, of what: String) throws {
        guard count >= 0, count <= Double(maximumElements) else {
            throw TensorError(op: op, reason: "\(what) would take \(count) float32 values, more than this machine's memory holds")
        }
    }

    /// The most float32 elements one tensor may hold: half the machine's physical memory. An
    /// allocation near all of it would pass here and then fail (a trap) or push the machine into swap.
    static let maximumElements = Int(clamping: ProcessInfo.processInfo.physicalMemory / 8)

    /// Product of `shape[range]`.
    package static func product(_ shape: [Int], _ range: Range<Int>) -> Int {
        var p = 1
        for i in range { p *= shape[i] }
        return p
    }
}
