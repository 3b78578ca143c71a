import EngineTensor

/// `y = x·Wᵀ + b` over the last dimension: input `(…, inFeatures)` → output `(…, outFeatures)`.
///
/// Keys `weight` `(outFeatures, inFeatures)` and `bias` `(outFeatures)`; both start uniform in
/// `±1/√inFeatures` (PyTorch's `kaiming_uniform_(a = √5)` and bias rule).
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true,
                generator: RandomGenerator = .global) throws {
        try requirePositive("Linear", ["inFeatures": inFeatures, "outFeatures": outFeatures])
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        let bound = Initialization.fanInBound(inFeatures)
        weight = try Initialization.uniform([outFeatures, inFeatures], bound: bound, generator: generator)
        self.bias = bias ? try Initialization.uniform([outFeatures], bound: bound, generator: generator) : nil
        super.init()
        registerParameter("weight", weight)
        if let b = self.bias { registerParameter("bias", b) }
    }

    public override var typeDescription: String { "Linear(in: \(inFeatures), out: \(outFeatures))" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 1, input.shape.last == inFeatures else {
            throw LayerError(layer: self, reason: "expected input of shape (…, \(inFeatures)), got \(input.shape)")
        }
        return try Linear.apply(input, weight: weight, bias: bias)
    }

    /// The differentiable affine map on raw tensors (shapes already checked by the caller):
    /// `input (…, in)`, `weight (out, in)`, `bias (out)`.
    package static func apply(_ input: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        let (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1])
        let rows = input.count / inFeatures
        let output = try Tensor.uninitialized(Array(input.shape.dropLast()) + [outFeatures])
        LinearKernels.forward(rows: rows, inFeatures: inFeatures, outFeatures: outFeatures,
                              input: input.storage.pointer, weight: weight.storage.pointer,
                              bias: bias?.storage.pointer, output: output.storage.pointer)
        let parents = [input, weight] + (bias.map { [$0] } ?? [])
        return Tensor.record(output, op: "linear", parents: parents) { gradOutput in
            let gradInput = input.requiresGrad ? try Tensor.uninitialized(input.shape) : nil
            let gradWeight = weight.requiresGrad ? try Tensor.uninitialized(weight.shape) : nil
            let gradBias = bias?.requiresGrad == true ? try Tensor.uninitialized([outFeatures]) : nil
            LinearKernels.backward(rows: rows, inFeatures: inFeatures, outFeatures: outFeatures,
                                   input: input.storage.pointer, weight: weight.storage.pointer,
                                   gradOutput: gradOutput.storage.pointer, gradInput: gradInput?.storage.pointer,
                                   gradWeight: gradWeight?.storage.pointer, gradBias: gradBias?.storage.pointer)
            return [gradInput, gradWeight] + (bias == nil ? [] : [gradBias])
        }
    }
}
