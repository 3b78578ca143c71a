
extension Tensor {
    /// Reverse-mode differentiation from this tensor: accumulates d(self)/d(leaf) into the
    /// `grad` of every leaf that requires grad (adding to what is already there, as PyTorch does).
    ///
    /// `gradient` seeds the pass and defaults to 1 for a one-element tensor. The graph is freed
    /// afterwards unless `retainGraph` is true. `onLeafGradient` is called with each leaf as soon
    /// as its gradient is final (data-parallel training starts summing it over ranks then).
    public func backward(gradient: Tensor? = nil, retainGraph: Bool = false,
                         onLeafGradient: ((Tensor) throws -> Void)? = nil) throws {
        guard requiresGrad else {
            throw TensorError(op: "backward", reason: "tensor of shape \(shape) does not require grad (no parameter reaches it, or it was made under no-grad)")
        }
        let seed: Tensor
        if let gradient {
            guard gradient.shape == shape else { throw TensorError.shapes("backward", shape, gradient.shape, "the seed gradient must match the tensor") }
            seed = gradient
        } else {
            guard count == 1 else {
                throw TensorError(op: "backward", reason: "an implicit gradient needs a one-element tensor, shape is \(shape); pass `gradient:`")
            }
            seed = Tensor(shape: shape, storage: TensorStorage(count: 1, repeating: 1))
        }
        try GradMode.withDisabled {
            var pending: [ObjectIdentifier: Tensor] = [ObjectIdentifier(self): seed]
            for tensor in topologicalOrder() {
                guard let grad = pending.removeValue(forKey: ObjectIdentifier(tensor)) else { continue }
                guard let node = tensor.gradFn else {
                    tensor.accumulateGrad(grad)
                    try onLeafGradient?(tensor)
                    continue
                }
                if tensor.retainsGrad { tensor.accumulateGrad(grad) }
                guard let backward = node.backward else {
                    throw TensorError(op: "backward", reason: "the graph through '\(node.op)' was already freed; use retainGraph: true to call backward twice")
                }
                let parentGrads = try backward(grad)
                guard parentGrads.count == node.parents.count else {
                    throw TensorError(op: node.op, reason: "backward returned \(parentGrads.count) gradients for \(node.parents.count) inputs")
                }
                for (parent, parentGrad) in zip(node.parents, parentGrads) {
                    guard parent.requiresGrad, let parentGrad else { continue }
                    guard parentGrad.shape == parent.shape else {
                        throw TensorError(op: node.op, reason: "backward produced a gradient of shape \(parentGrad.shape) for an input of shape \(parent.shape)")
                    }
                    let key = ObjectIdentifier(parent)
                    if let existing = pending[key] {
                        pending[key] = existing.adding(parentGrad)
                    } else {
                        pending[key] = parentGrad
                    }
                }
                if !retainGraph { node.release() }
            }
        }
    }

    /// Tensors reachable from this one through `gradFn`, each after every tensor that uses it.
    private func topologicalOrder() -> [Tensor] {
        var visited = Set<ObjectIdentifier>()
        var postOrder: [Tensor] = []
        // Iterative DFS: long recurrent graphs would overflow the stack with recursion.
        var stack: [(tensor: Tensor, nextParent: Int)] = [(self, 0)]
        visited.insert(ObjectIdentifier(self))
        while let (tensor, next) = stack.last {
            let parents = tensor.gradFn?.parents ?? []
            if next < parents.count {
                stack[stack.count - 1].nextParent += 1
                let parent = parents[next]
                if parent.requiresGrad, visited.insert(ObjectIdentifier(parent)).inserted {
                    stack.append((parent, 0))
                }
            } else {
                postOrder.append(tensor)
                stack.removeLast()
            }
        }
        return postOrder.reversed()
    }

    /// Adds `incoming` to `grad`, copying so that no two gradients ever share storage
    /// (optimizers and clipping update gradients in place).
    private func accumulateGrad(_ incoming: Tensor) {
        if let grad, grad.shape == incoming.shape {
            let count = grad.count
            let dst = grad.storage.pointer, src = incoming.storage.pointer
            for i in 0..<count { dst[i] += src[i] }
        } else {
            grad = incoming.clone()
        }
    }

    /// Untracked elementwise sum of two same-shape tensors (gradient accumulation).
    func adding(_ other: Tensor) -> Tensor {
        let out = Tensor.make(shape)
        let a = storage.pointer, b = other.storage.pointer, o = out.storage.pointer
        for i in 0..<count { o[i] = a[i] + b[i] }
        return out
    }
}
