/// Sizes of one batched 2-D convolution (zero padding, no dilation, one group), row-major NCHW.
/// A 1-D convolution over `(N, C, L)` is the same geometry with height 1 and kernel height 1.
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
    public var paddingHeight: Int
    public var paddingWidth: Int

    /// A 2-D geometry; PyTorch's output size rule `(in + 2·pad − kernel) / stride + 1`.
    public init(batch: Int, inChannels: Int, height: Int, width: Int, outChannels: Int,
                kernel: (Int, Int), stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0)) {
        self.batch = batch
        self.inChannels = inChannels
        self.height = height
        self.width = width
        self.outChannels = outChannels
        (kernelHeight, kernelWidth) = kernel
        (strideHeight, strideWidth) = stride
        (paddingHeight, paddingWidth) = padding
    }

    /// A 1-D geometry over `(batch, inChannels, length)`.
    public static func conv1d(batch: Int, inChannels: Int, length: Int, outChannels: Int,
                              kernel: Int, stride: Int = 1, padding: Int = 0) -> ConvGeometry {
        ConvGeometry(batch: batch, inChannels: inChannels, height: 1, width: length,
                     outChannels: outChannels, kernel: (1, kernel), stride: (1, stride), padding: (0, padding))
    }

    /// Output rows.
    public var outHeight: Int { (height + 2 * paddingHeight - kernelHeight) / strideHeight + 1 }
    /// Output columns.
    public var outWidth: Int { (width + 2 * paddingWidth - kernelWidth) / strideWidth + 1 }
    /// Whether every size is positive and the kernel fits the padded input.
    public var isValid: Bool {
        batch > 0 && inChannels > 0 && outChannels > 0 && kernelHeight > 0 && kernelWidth > 0
            && strideHeight > 0 && strideWidth > 0 && paddingHeight >= 0 && paddingWidth >= 0
            && height + 2 * paddingHeight >= kernelHeight && width + 2 * paddingWidth >= kernelWidth
    }
    /// Rows of the im2col matrix: one per (input channel, kernel row, kernel column).
    public var patchSize: Int { inChannels * kernelHeight * kernelWidth }
    /// Columns of the im2col matrix: one per output position.
    public var outPositions: Int { outHeight * outWidth }
    /// Floats in one input sample.
    public var inputSampleCount: Int { inChannels * height * width }
    /// Floats in one output sample.
    public var outputSampleCount: Int { outChannels * outPositions }
}
