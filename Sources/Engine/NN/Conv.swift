/// Convolution over `(N, C, H, W)` (Conv2d) or `(N, C, L)` (Conv1d) with zero padding, on
/// im2col + GEMM kernels. Keys `weight` `(out, in, kh, kw)` / `(out, in, k)` and `bias` `(out)`,
/// initialised uniform in `±1/√(in · kh · kw)` as PyTorch does.
public class ConvolutionLayer: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    public let padding: (height: Int, width: Int)
    public let weight: Tensor
    public let bias: Tensor?
    private let spatialRank: Int

    init(spatialRank: Int, inChannels: Int, outChannels: Int, kernel: (Int, Int), stride: (Int, Int),
         padding: (Int, Int), bias: Bool, generator: RandomGenerator) throws {
        let name = "Conv\(spatialRank)d"
        try requirePositive(name, ["inChannels": inChannels, "outChannels": outChannels, "kernel height": kernel.0,
                                   "kernel width": kernel.1, "stride height": stride.0, "stride width": stride.1])
        guard padding.0 >= 0, padding.1 >= 0 else {
            throw LayerConfigurationError(layer: name, reason: "padding must not be negative, got \(padding)")
        }
        self.spatialRank = spatialRank
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        let fanIn = inChannels * kernel.0 * kernel.1
        let bound = Initialization.fanInBound(fanIn)
        let kernelShape = spatialRank == 1 ? [kernel.1] : [kernel.0, kernel.1]
        weight = try Initialization.uniform([outChannels, inChannels] + kernelShape, bound: bound, generator: generator)
        self.bias = bias ? try Initialization.uniform([outChannels], bound: bound, generator: generator) : nil
        super.init()
        registerParameter("weight", weight)
        if let b = self.bias { registerParameter("bias", b) }
    }

    public override var typeDescription: String {
        spatialRank == 1
            ? "Conv1d(\(inChannels) → \(outChannels), kernel: \(kernel.width), stride: \(stride.width), padding: \(padding.width))"
            : "Conv2d(\(inChannels) → \(outChannels), kernel: [\(kernel.height), \(kernel.width)], "
                + "stride: [\(stride.height), \(stride.width)], padding: [\(padding.height), \(padding.width)])"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let expected = spatialRank == 1 ? "(N, \(inChannels), L)" : "(N, \(inChannels), H, W)"
        guard input.rank == spatialRank + 2, input.shape[1] == inChannels else {
            throw LayerError(layer: self, reason: "expected input of shape \(expected), got \(input.shape)")
        }
        let (height, width) = spatialRank == 1 ? (1, input.shape[2]) : (input.shape[2], input.shape[3])
        let g = ConvGeometry(batch: input.shape[0], inChannels: inChannels, height: height, width: width,
                             outChannels: outChannels, kernel: (kernel.height, kernel.width),
                             stride: (stride.height, stride.width), padding: (padding.height, padding.width))
        guard g.isValid else {
            throw LayerError(layer: self, reason: "input \(input.shape) is empty or smaller than the padded kernel")
        }
        let outShape = spatialRank == 1 ? [g.batch, outChannels, g.outWidth] : [g.batch, outChannels, g.outHeight, g.outWidth]
        let output = try Tensor.uninitialized(outShape)
        let (weight, bias) = (self.weight, self.bias)
        ConvKernels.forward(g, input: input.storage.pointer, weight: weight.storage.pointer,
                            bias: bias?.storage.pointer, output: output.storage.pointer)
        let parents = [input, weight] + (bias.map { [$0] } ?? [])
        return Tensor.record(output, op: "conv\(spatialRank)d", parents: parents) { gradOutput in
            let gradInput = input.requiresGrad ? try Tensor.uninitialized(input.shape) : nil
            let gradWeight = weight.requiresGrad ? try Tensor.uninitialized(weight.shape) : nil
            let gradBias = bias?.requiresGrad == true ? try Tensor.uninitialized([g.outChannels]) : nil
            ConvKernels.backward(g, input: input.storage.pointer, weight: weight.storage.pointer,
                                 gradOutput: gradOutput.storage.pointer, gradInput: gradInput?.storage.pointer,
                                 gradWeight: gradWeight?.storage.pointer, gradBias: gradBias?.storage.pointer)
            return [gradInput, gradWeight] + (bias == nil ? [] : [gradBias])
        }
    }
}

/// 2-D convolution over `(N, C, H, W)`; rectangular kernels, strides and paddings.
public final class Conv2d: ConvolutionLayer {
    public init(_ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), bias: Bool = true, generator: RandomGenerator = .global) throws {
        try super.init(spatialRank: 2, inChannels: inChannels, outChannels: outChannels, kernel: kernel,
                       stride: stride, padding: padding, bias: bias, generator: generator)
    }

    /// A square kernel, stride and padding.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1,
                            padding: Int = 0, bias: Bool = true, generator: RandomGenerator = .global) throws {
        try self.init(inChannels, outChannels, kernel: (kernelSize, kernelSize), stride: (stride, stride),
                      padding: (padding, padding), bias: bias, generator: generator)
    }
}

/// 1-D convolution over `(N, C, L)`.
public final class Conv1d: ConvolutionLayer {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, generator: RandomGenerator = .global) throws {
        try super.init(spatialRank: 1, inChannels: inChannels, outChannels: outChannels, kernel: (1, kernelSize),
                       stride: (1, stride), padding: (0, padding), bias: bias, generator: generator)
    }
}
