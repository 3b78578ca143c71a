
/// The record of one differentiable op in the define-by-run graph: its inputs and how to turn
/// the gradient of its output into gradients of those inputs.
public final class GradNode {
    /// Name of the op, used in error messages (e.g. `"matmul"`).
    public let op: String
    /// The tensors the op read, in the order its backward returns their gradients.
    public internal(set) var parents: [Tensor]
    /// Maps the output gradient to one gradient (or `nil`) per parent.
    package var backward: ((Tensor) throws -> [Tensor?])?

    init(op: String, parents: [Tensor], backward: @escaping (Tensor) throws -> [Tensor?]) {
        self.op = op
        self.parents = parents
        self.backward = backward
    }

    /// Frees the inputs and the closure once backward has used them.
    func release() {
        parents = []
        backward = nil
    }
}

extension Tensor {
    /// Connects a freshly computed `output` to the graph, the public way to write a
    /// differentiable op: compute `output` with any kernel, then call `record` with the
    /// tensors it read and a closure that, given the gradient of `output`, returns one
    /// gradient per parent (same shape as that parent, or `nil` when it gets none).
    ///
    /// Nothing is recorded when grad mode is off or no parent requires grad. The closure runs
    /// with grad mode off. Capture parents and `output.detach()` (never `output` itself, which
    /// would be a reference cycle).
    @discardableResult
    public static func record(_ output: Tensor, op: String, parents: [Tensor],
                              backward: @escaping (_ gradOutput: Tensor) throws -> [Tensor?]) -> Tensor {
        guard GradMode.isEnabled, parents.contains(where: { $0.requiresGrad }) else { return output }
        // An op that hands back one of its inputs gets a fresh tensor object, so no node is ever
        // attached to a tensor that is also its own parent.
        let result = parents.contains(where: { $0 === output }) ? output.detach() : output
        result.gradFn = GradNode(op: op, parents: parents, backward: backward)
        result.requiresGrad = true
        return result
    }
}
