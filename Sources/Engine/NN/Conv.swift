import EngineTensor

/// Convolution over `(N, C, H, W)` (Conv2d) or `(N, C, L)` (Conv1d) on im2col + GEMM kernels, with
/// PyTorch's options: stride, padding (sizes, `.same`, `.valid`), dilation, groups and padding mode.
/// Keys `weight` `(out, in / groups, kh, kw)` / `(out, in / groups, k)` and `bias` `(out)`, initialised
/// uniform in `±1/√(in / groups · kh · kw)` as PyTorch does.
public class ConvolutionLayer: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernel: (height: Int, width: Int)
    public let stride: (height: Int, width: Int)
    /// Rows above and columns left of the input.
    public let padding: (height: Int, width: Int)
    /// Rows below and columns right of the input: `padding`, except for `.same` with an even kernel extent.
    public let trailingPadding: (height: Int, width: Int)
    /// The padding as given (`.explicit`, `.same` or `.valid`).
    public let paddingOption: ConvPadding
    public let dilation: (height: Int, width: Int)
    public let groups: Int
    /// How the border is filled; modes other than zeros pad a copy of the input first, as PyTorch does.
    public let paddingMode: PaddingMode
    public let weight: Tensor
    public let bias: Tensor?
    private let spatialRank: Int

    init(spatialRank: Int, inChannels: Int, outChannels: Int, kernel: (Int, Int), stride: (Int, Int),
         padding: ConvPadding, dilation: (Int, Int), groups: Int, bias: Bool, paddingMode: PaddingMode,
         generator: RandomGenerator) throws {
        let name = "Conv\(spatialRank)d"
        try requirePositive(name, ["inChannels": inChannels, "outChannels": outChannels, "kernel height": kernel.0,
                                   "kernel width": kernel.1, "stride height": stride.0, "stride width": stride.1,
                                   "dilation height": dilation.0, "dilation width": dilation.1, "groups": groups])
        for (label, channels) in [("inChannels", inChannels), ("outChannels", outChannels)] where channels % groups != 0 {
            throw LayerConfigurationError(layer: name, reason: "\(label) (\(channels)) must be divisible by groups (\(groups))")
        }
        (self.padding, self.trailingPadding) = try padding.resolve(kernel: kernel, stride: stride, dilation: dilation,
                                                                   spatialRank: spatialRank)
        self.spatialRank = spatialRank
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.paddingOption = padding
        self.dilation = dilation
        self.groups = groups
        self.paddingMode = paddingMode
        let fanIn = inChannels / groups * kernel.0 * kernel.1
        let bound = Initialization.fanInBound(fanIn)
        let kernelShape = spatialRank == 1 ? [kernel.1] : [kernel.0, kernel.1]
        weight = try Initialization.uniform([outChannels, inChannels / groups] + kernelShape, bound: bound, generator: generator)
        self.bias = bias ? try Initialization.uniform([outChannels], bound: bound, generator: generator) : nil
        super.init()
        registerParameter("weight", weight)
        if let b = self.bias { registerParameter("bias", b) }
    }

    /// `[h, w]` for Conv2d, `w` for Conv1d.
    private func shown(_ pair: (Int, Int)) -> String { spatialRank == 1 ? "\(pair.1)" : "[\(pair.0), \(pair.1)]" }

    public override var typeDescription: String {
        var text = "Conv\(spatialRank)d(\(inChannels) → \(outChannels), kernel: \(shown(kernel)), stride: \(shown(stride)), padding: "
        switch paddingOption {
        case .same: text += "same"
        case .valid, .explicit: text += shown(padding)
        }
        if dilation != (1, 1) { text += ", dilation: \(shown(dilation))" }
        if groups != 1 { text += ", groups: \(groups)" }
        if paddingMode != .zeros { text += ", padding mode: \(paddingMode.rawValue)" }
        return text + ")"
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        let expected = spatialRank == 1 ? "(N, \(inChannels), L)" : "(N, \(inChannels), H, W)"
        guard input.rank == spatialRank + 2, input.shape[1] == inChannels else {
            throw LayerError(layer: self, reason: "expected input of shape \(expected), got \(input.shape)")
        }
        // Zeros are read implicitly by im2col; other modes convolve an explicitly padded copy.
        let padded = paddingMode == .zeros ? input : try paddedCopy(input)
        let implicit = paddingMode == .zeros
        let before = implicit ? (padding.height, padding.width) : (0, 0)
        let after = implicit ? (trailingPadding.height, trailingPadding.width) : (0, 0)
        let (height, width) = spatialRank == 1 ? (1, padded.shape[2]) : (padded.shape[2], padded.shape[3])
        let g = ConvGeometry(batch: input.shape[0], inChannels: inChannels, height: height, width: width,
                             outChannels: outChannels, kernel: (kernel.height, kernel.width),
                             stride: (stride.height, stride.width), padding: before, trailingPadding: after,
                             dilation: (dilation.height, dilation.width), groups: groups)
        guard g.isValid else {
            let size = spatialRank == 1 ? "length \(g.paddedWidth)" : "\(g.paddedHeight)×\(g.paddedWidth)"
            let extent = spatialRank == 1 ? "\(g.kernelExtentWidth)" : "\(g.kernelExtentHeight)×\(g.kernelExtentWidth)"
            throw LayerError(layer: self, reason: "input \(input.shape) is empty or, padded to \(size), smaller than the "
                                                 + "kernel's extent \(extent) (dilation · (kernel − 1) + 1)")
        }
        return try convolve(padded, g)
    }

    /// The differentiable convolution of `input` with the geometry `g`.
    private func convolve(_ input: Tensor, _ g: ConvGeometry) throws -> Tensor {
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

    /// `input` with its borders filled by `paddingMode` (differentiable), as PyTorch's `F.pad` before a
    /// convolution with `padding_mode` other than zeros.
    private func paddedCopy(_ input: Tensor) throws -> Tensor {
        let (height, width) = spatialRank == 1 ? (1, input.shape[2]) : (input.shape[2], input.shape[3])
        for (axis, before, after, size) in [("height", padding.height, trailingPadding.height, height),
                                            ("width", padding.width, trailingPadding.width, width)]
            where before + after > 0 {
            if let problem = paddingMode.problem(before: before, after: after, size: size) {
                throw LayerError(layer: self, reason: "input \(input.shape): \(problem) (\(spatialRank == 1 ? "length" : axis))")
            }
        }
        let rows = PadKernels.sourceIndices(paddingMode, size: height, before: padding.height, after: trailingPadding.height)
        let columns = PadKernels.sourceIndices(paddingMode, size: width, before: padding.width, after: trailingPadding.width)
        let planes = input.shape[0] * inChannels
        let shape = [input.shape[0], inChannels] + (spatialRank == 1 ? [columns.count] : [rows.count, columns.count])
        let output = try Tensor.uninitialized(shape)
        PadKernels.forward(planes: planes, height: height, width: width, rows: rows, columns: columns,
                           input: input.storage.pointer, output: output.storage.pointer)
        return Tensor.record(output, op: "pad_\(paddingMode.rawValue)", parents: [input]) { gradOutput in
            let gradInput = try Tensor.uninitialized(input.shape)
            PadKernels.backward(planes: planes, height: height, width: width, rows: rows, columns: columns,
                                gradOutput: gradOutput.storage.pointer, gradInput: gradInput.storage.pointer)
            return [gradInput]
        }
    }
}

/// 2-D convolution over `(N, C, H, W)`; rectangular kernels, strides, paddings and dilations.
public final class Conv2d: ConvolutionLayer {
    /// PyTorch's `nn.Conv2d(in, out, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`;
    /// `padding` is `.explicit(height:width:)`, `.same`, `.valid` or an integer literal.
    public init(_ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: ConvPadding = .valid, dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true,
                paddingMode: PaddingMode = .zeros, generator: RandomGenerator = .global) throws {
        try super.init(spatialRank: 2, inChannels: inChannels, outChannels: outChannels, kernel: kernel,
                       stride: stride, padding: padding, dilation: dilation, groups: groups, bias: bias,
                       paddingMode: paddingMode, generator: generator)
    }

    /// Per-axis padding given as `(rows, columns)`.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                            padding: (Int, Int), dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true,
                            paddingMode: PaddingMode = .zeros, generator: RandomGenerator = .global) throws {
        try self.init(inChannels, outChannels, kernel: kernel, stride: stride,
                      padding: .explicit(height: padding.0, width: padding.1), dilation: dilation, groups: groups,
                      bias: bias, paddingMode: paddingMode, generator: generator)
    }

    /// A square kernel, stride and dilation.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1,
                            padding: ConvPadding = .valid, dilation: Int = 1, groups: Int = 1, bias: Bool = true,
                            paddingMode: PaddingMode = .zeros, generator: RandomGenerator = .global) throws {
        try self.init(inChannels, outChannels, kernel: (kernelSize, kernelSize), stride: (stride, stride),
                      padding: padding, dilation: (dilation, dilation), groups: groups, bias: bias,
                      paddingMode: paddingMode, generator: generator)
    }
}

/// 1-D convolution over `(N, C, L)`.
public final class Conv1d: ConvolutionLayer {
    /// PyTorch's `nn.Conv1d(in, out, kernel_size, stride, padding, dilation, groups, bias, padding_mode)`;
    /// `padding` is an integer literal, `.explicit(height: 0, width: p)`, `.same` or `.valid`.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: ConvPadding = .valid,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, paddingMode: PaddingMode = .zeros,
                generator: RandomGenerator = .global) throws {
        try super.init(spatialRank: 1, inChannels: inChannels, outChannels: outChannels, kernel: (1, kernelSize),
                       stride: (1, stride), padding: padding, dilation: (1, dilation), groups: groups, bias: bias,
                       paddingMode: paddingMode, generator: generator)
    }
}
