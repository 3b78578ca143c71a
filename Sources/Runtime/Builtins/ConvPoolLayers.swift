import Engine

extension BuiltinRegistry {
    /// Convolutions and pooling with PyTorch's keyword names, order and defaults.
    func registerConvolutionsAndPools(_ layer: @escaping (Module) -> Value) {
        let convParameters = [Parameter("in_channels"), Parameter("out_channels"), Parameter("kernel_size"),
                              Parameter("stride", 1), Parameter("padding", 0), Parameter("dilation", 1), Parameter("groups", 1),
                              Parameter("bias", true), Parameter("padding_mode", .string("zeros"))]
        function("conv1d", convParameters,
                 doc: "A 1-D convolution over `(N, C, L)` (PyTorch `nn.Conv1d`); `padding` is an int, \"same\" (output as long as the input; stride 1) or \"valid\" (none), `dilation` spaces the kernel taps, `groups` splits the channels (`groups: in_channels` is depthwise), `padding_mode` is \"zeros\", \"reflect\", \"replicate\" or \"circular\": `conv1d(40, 64, 5, padding: \"same\")`.") { a in
            let padding = try a.convPadding("padding", spatialRank: 1)
            return layer(try Conv1d(try a.int("in_channels"), try a.int("out_channels"), kernelSize: try a.int("kernel_size"), stride: try a.int("stride"), padding: padding,
                                    dilation: try a.int("dilation"), groups: try a.int("groups"), bias: try a.bool("bias"),
                                    paddingMode: try a.paddingMode()))
        }
        function("conv2d", convParameters,
                 doc: "A 2-D convolution over `(N, C, H, W)` (PyTorch `nn.Conv2d`); `kernel_size`, `stride`, `padding` and `dilation` are an int or a pair `[h, w]`, `padding` may also be \"same\" (output as large as the input; stride 1; an odd total puts the extra row/column at the bottom/right) or \"valid\", `groups` splits the channels (`groups: in_channels` is depthwise), `padding_mode` is \"zeros\", \"reflect\", \"replicate\" or \"circular\": `conv2d(1, 16, 3, padding: 1)`.") { a in
            let padding = try a.convPadding("padding", spatialRank: 2)
            return layer(try Conv2d(try a.int("in_channels"), try a.int("out_channels"), kernel: try a.pair("kernel_size"), stride: try a.pair("stride"), padding: padding,
                                    dilation: try a.pair("dilation"), groups: try a.int("groups"), bias: try a.bool("bias"),
                                    paddingMode: try a.paddingMode()))
        }
        let maxParameters = [Parameter("kernel_size"), Parameter("stride", nil), Parameter("padding", 0), Parameter("dilation", 1),
                             Parameter("ceil_mode", false)]
        let avgParameters = [Parameter("kernel_size"), Parameter("stride", nil), Parameter("padding", 0),
                             Parameter("ceil_mode", false), Parameter("count_include_pad", true)]
        function("maxpool1d", maxParameters,
                 doc: "Max pooling over `(N, C, L)` (PyTorch `nn.MaxPool1d`): the stride defaults to the kernel, `padding` (at most half the kernel) is −∞, `ceil_mode` keeps a last partial window.") { a in
            layer(try MaxPool1d(kernelSize: try a.int("kernel_size"), stride: a.isNil("stride") ? nil : try a.int("stride"), padding: try a.int("padding"),
                                dilation: try a.int("dilation"), ceilMode: try a.bool("ceil_mode")))
        }
        function("maxpool2d", maxParameters,
                 doc: "Max pooling over `(N, C, H, W)` (PyTorch `nn.MaxPool2d`); kernel, stride, padding and dilation an int or `[h, w]`, the stride defaulting to the kernel, `padding` (at most half the kernel) −∞, `ceil_mode` keeping a last partial window that starts inside the input or the left padding: `maxpool2d([2, 4])`.") { a in
            layer(try MaxPool2d(kernel: try a.pair("kernel_size"), stride: a.isNil("stride") ? nil : try a.pair("stride"), padding: try a.pair("padding"),
                                dilation: try a.pair("dilation"), ceilMode: try a.bool("ceil_mode")))
        }
        function("avgpool1d", avgParameters,
                 doc: "Average pooling over `(N, C, L)` (PyTorch `nn.AvgPool1d`): the stride defaults to the kernel; zero `padding` (at most half the kernel) counts in the divisor unless `count_include_pad: false`; `ceil_mode` keeps a last partial window.") { a in
            layer(try AvgPool1d(kernelSize: try a.int("kernel_size"), stride: a.isNil("stride") ? nil : try a.int("stride"), padding: try a.int("padding"),
                                ceilMode: try a.bool("ceil_mode"), countIncludePad: try a.bool("count_include_pad")))
        }
        function("avgpool2d", avgParameters,
                 doc: "Average pooling over `(N, C, H, W)` (PyTorch `nn.AvgPool2d`); kernel, stride and padding an int or `[h, w]`, the stride defaulting to the kernel, zero `padding` (at most half the kernel) counting in the divisor unless `count_include_pad: false`, `ceil_mode` keeping a last partial window.") { a in
            layer(try AvgPool2d(kernel: try a.pair("kernel_size"), stride: a.isNil("stride") ? nil : try a.pair("stride"), padding: try a.pair("padding"),
                                ceilMode: try a.bool("ceil_mode"), countIncludePad: try a.bool("count_include_pad")))
        }
        for (kind, isMax) in [("avg", false), ("max", true)] {
            let (what, torch) = isMax ? ("max", "Max") : ("average", "Avg")
            function("adaptive_\(kind)pool1d", [Parameter("output_size")],
                     doc: "Adaptive \(what) pooling of `(N, C, L)` to `output_size` steps whatever L (PyTorch `nn.Adaptive\(torch)Pool1d`).") { a in
                let size = try a.int("output_size")
                return layer(isMax ? try AdaptiveMaxPool1d(outputSize: size) : try AdaptiveAvgPool1d(outputSize: size))
            }
            function("adaptive_\(kind)pool2d", [Parameter("output_size")],
                     doc: "Adaptive \(what) pooling of `(N, C, H, W)` to `output_size` (an int or `[h, w]`, nil keeping that axis's input size) whatever H and W (PyTorch `nn.Adaptive\(torch)Pool2d`): `adaptive_\(kind)pool2d(1)` is global \(what) pooling, `adaptive_\(kind)pool2d([nil, 4])` pools only the width.") { a in
                let size = try a.pair("output_size", allowingNil: true)
                return layer(isMax ? try AdaptiveMaxPool2d(outputSize: size) : try AdaptiveAvgPool2d(outputSize: size))
            }
        }
    }
}

extension Arguments {
    /// A convolution's `padding`: "same", "valid", an int, or (2-D) a pair `[h, w]`.
    func convPadding(_ name: String, spatialRank: Int) throws -> ConvPadding {
        if case .string(let text) = self[name] {
            switch text {
            case "same": return .same
            case "valid": return .valid
            default:
                throw BuiltinError("\(builtin.qualifiedName): 'padding' must be an int\(spatialRank == 2 ? ", a pair [h, w]" : ""), \"same\" or \"valid\"; got '\(text)'")
            }
        }
        if spatialRank == 1 { return .explicit(height: 0, width: try int(name)) }
        let (height, width) = try pair(name)
        return .explicit(height: height, width: width)
    }

    /// A convolution's `padding_mode`.
    func paddingMode() throws -> PaddingMode {
        let name = try choice("padding_mode", PaddingMode.allCases.map(\.rawValue))
        guard let mode = PaddingMode(rawValue: name) else { throw BuiltinError("\(builtin.qualifiedName): internal: padding mode '\(name)'") }
        return mode
    }
}
