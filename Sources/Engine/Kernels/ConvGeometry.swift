import EngineFormats

/// Sizes of one batched 2-D convolution, row-major NCHW: zero padding (possibly larger after the last
/// row/column than before the first, as PyTorch's `padding="same"` with an even kernel extent), dilation
/// and channel groups. A 1-D convolution over `(N, C, L)` is the same geometry with height 1 and kernel
/// height 1.
public struct ConvGeometry: Equatable, Sendable {
    public var batch: Int
    public var inChannels: Int
    public var height: Int
    public var width: Int
    public var outChannels: Int
    public var kernelHeight: Int
    public var kernelWidth: Int
    public var strideHeight: Int
    public var strideWidth: Int
    /// Zero rows above the input.
    public var paddingHeight: Int
    /// Zero columns left of the input.
    public var paddingWidth: Int
    /// Zero rows below the input.
    public var trailingPaddingHeight: Int
    /// Zero columns right of the input.
    public var trailingPaddingWidth: Int
    public var dilationHeight: Int
    public var dilationWidth: Int
    /// Channel groups: group `g` convolves input channels `g·C/groups ..< (g+1)·C/groups` into output
    /// channels `g·O/groups ..< (g+1)·O/groups` (depthwise when `groups == inChannels`).
    public var groups: Int

    /// A 2-D geometry; PyTorch's output size rule `(in + pad + trailing pad − dilation·(kernel − 1) − 1) / stride + 1`.
    /// `trailingPadding` defaults to `padding` (symmetric).
    public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
                kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                trailingPadding: (Int, Int)? = nil, dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        self.batch = batch
        self.inChannels = inChannels
        self.height = height
        self.width = width
        self.outChannels = outChannels
        (kernelHeight, kernelWidth) = kernel
        (strideHeight, strideWidth) = stride
        (paddingHeight, paddingWidth) = padding
        (trailingPaddingHeight, trailingPaddingWidth) = trailingPadding ?? padding
        (dilationHeight, dilationWidth) = dilation
        self.groups = groups
    }

    /// A 1-D geometry over `(batch, inChannels, length)`.
    public static func conv1d(batch: Int, inChannels: Int, length: Int, outChannels: Int,
                              kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1,
                              groups: Int = 1) -> ConvGeometry {
        ConvGeometry(batch: batch, inChannels: inChannels, height: 1, width: length,
                     outChannels: outChannels, kernel: (1, kernel), stride: (1, stride), padding: (0, padding),
                     dilation: (1, dilation), groups: groups)
    }

    /// Rows the dilated kernel spans.
    public var kernelExtentHeight: Int { dilationHeight * (kernelHeight - 1) + 1 }
    /// Columns the dilated kernel spans.
    public var kernelExtentWidth: Int { dilationWidth * (kernelWidth - 1) + 1 }
    /// Rows of the zero-padded input.
    public var paddedHeight: Int { height + paddingHeight + trailingPaddingHeight }
    /// Columns of the zero-padded input.
    public var paddedWidth: Int { width + paddingWidth + trailingPaddingWidth }
    /// Output rows.
    public var outHeight: Int { (paddedHeight - kernelExtentHeight) / strideHeight + 1 }
    /// Output columns.
    public var outWidth: Int { (paddedWidth - kernelExtentWidth) / strideWidth + 1 }
    /// Whether every size is positive, the groups divide both channel counts and the dilated kernel fits
    /// the padded input.
    public var isValid: Bool {
        batch > 0 && inChannels > 0 && outChannels > 0 && kernelHeight > 0 && kernelWidth > 0
            && strideHeight > 0 && strideWidth > 0 && dilationHeight > 0 && dilationWidth > 0
            && paddingHeight >= 0 && paddingWidth >= 0 && trailingPaddingHeight >= 0 && trailingPaddingWidth >= 0
            && groups > 0 && inChannels % groups == 0 && outChannels % groups == 0
            && paddedHeight >= kernelExtentHeight && paddedWidth >= kernelExtentWidth
    }
    /// Rows of the im2col matrix: one per (input channel, kernel row, kernel column); the rows of one
    /// group are contiguous.
    public var patchSize: Int { inChannels * kernelHeight * kernelWidth }
    /// Rows of one group's block of the im2col matrix, and the length of one weight row.
    public var groupPatchSize: Int { patchSize / groups }
    /// Output channels per group.
    public var groupOutChannels: Int { outChannels / groups }
    /// Floats in the weight `(outChannels, inChannels / groups, kh, kw)`.
    public var weightCount: Int { outChannels * groupPatchSize }
    /// Columns of the im2col matrix: one per output position.
    public var outPositions: Int { outHeight * outWidth }
    /// Floats in one input sample.
    public var inputSampleCount: Int { inChannels * height * width }
    /// Floats in one output sample.
    public var outputSampleCount: Int { outChannels * outPositions }
}
