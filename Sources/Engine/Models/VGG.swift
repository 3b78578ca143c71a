import EngineTensor

/// The pretrained networks of the transfer-learning notebooks, built from layers in PyTorch's key
/// layouts so pretrained files load by name: torchvision's VGG16 conv base (`vgg16().features`,
/// keys `0.weight` … `28.bias`, or `features.…` inside a whole VGG16 file) and VGGish (the
/// AudioSet embedding network in torchvggish's layout: `features.…`, `embeddings.…`).
///
/// `width` is the first block's channel count (64 in both real networks); later blocks scale with
/// it. Narrower copies exist for tests and quick runs; only `width: 64` loads published weights.
public enum VGG {
    /// Channels per conv layer as multiples of `width`, 0 marking a 2 × 2 max-pool.
    private static let vgg16Layout = [1, 1, 0, 2, 2, 0, 4, 4, 4, 0, 8, 8, 8, 0, 8, 8, 8, 0]
    private static let vggishLayout = [1, 0, 2, 0, 4, 4, 0, 8, 8, 0]

    /// VGG16's convolutional base: 13 conv 3 × 3 (padding 1) + ReLU layers in five blocks, each
    /// ending in a 2 × 2 max-pool; `(B, 3, H, W)` → `(B, 8·width, H/32, W/32)`.
    public static func vgg16Features(width: Int = 64) throws -> Sequential {
        try convStack(vgg16Layout, inChannels: 3, width: width)
    }

    /// VGGish: `(B, 1, 96, 64)` log-mel patches (96 frames of 10 ms × 64 mel bands) → 128-d embeddings.
    /// Four conv blocks, then the NHWC flatten of the TensorFlow original, then three fully connected
    /// layers (4096, 4096, 128 for width 64) each followed by ReLU.
    public static func vggish(width: Int = 64) throws -> Sequential {
        guard width >= 1 else { throw TensorError(op: "vggish", reason: "width must be at least 1, got \(width)") }
        let hidden = 64 * width
        let embeddings = Sequential([try Linear(8 * width * 6 * 4, hidden), ReLU(), try Linear(hidden, hidden), ReLU(),
                                     try Linear(hidden, 128), ReLU()])
        // The TensorFlow weights flatten channels last: (B, C, H, W) → (B, H, W, C) before the flatten.
        return Sequential(named: [("features", try convStack(vggishLayout, inChannels: 1, width: width)),
                                  ("to_channels_last", Permute([0, 2, 3, 1])), ("flatten", Flatten()),
                                  ("embeddings", embeddings)])
    }

    private static func convStack(_ layout: [Int], inChannels: Int, width: Int) throws -> Sequential {
        guard width >= 1 else { throw TensorError(op: "vgg", reason: "width must be at least 1, got \(width)") }
        var layers: [Module] = []
        var channels = inChannels
        for multiple in layout {
            if multiple == 0 {
                layers.append(try MaxPool2d(kernelSize: 2))
            } else {
                layers.append(try Conv2d(channels, multiple * width, kernelSize: 3, padding: .explicit(height: 1, width: 1)))
                layers.append(ReLU())
                channels = multiple * width
            }
        }
        return Sequential(layers)
    }
}
