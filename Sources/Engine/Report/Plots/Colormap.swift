import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// Perceptually uniform colour maps from matplotlib, as their published evenly spaced control
/// colours, interpolated linearly.
public enum Colormap: String, Sendable, CaseIterable {
    case viridis, magma, blues

    /// Colour for `t` in [0, 1] (clamped) as 8-bit RGB.
    public func rgb(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let stops = controlPoints
        let position = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let index = min(Int(position), stops.count - 2)
        let fraction = position - Double(index)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            UInt8((Double(a) + (Double(b) - Double(a)) * fraction).rounded())
        }
        let (low, high) = (stops[index], stops[index + 1])
        return (mix(low.0, high.0), mix(low.1, high.1), mix(low.2, high.2))
    }

    /// CSS hex colour for `t`.
    public func hex(_ t: Double) -> String {
        let (r, g, b) = rgb(t)
        return "#" + [r, g, b].map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    private var controlPoints: [(UInt8, UInt8, UInt8)] {
        switch self {
        case .viridis:
            return [(0x44, 0x01, 0x54), (0x48, 0x28, 0x78), (0x3e, 0x49, 0x89), (0x31, 0x68, 0x8e), (0x26, 0x82, 0x8e),
                    (0x1f, 0x9e, 0x89), (0x35, 0xb7, 0x79), (0x6e, 0xce, 0x58), (0xb5, 0xde, 0x2b), (0xfd, 0xe7, 0x25)]
        case .magma:
            return [(0x00, 0x00, 0x04), (0x18, 0x0f, 0x3d), (0x44, 0x0f, 0x76), (0x72, 0x1f, 0x81), (0x9e, 0x2f, 0x7f),
                    (0xcd, 0x40, 0x71), (0xf1, 0x60, 0x5d), (0xfd, 0x96, 0x68), (0xfe, 0xca, 0x8d), (0xfc, 0xfd, 0xbf)]
        case .blues:
            return [(0xf7, 0xfb, 0xff), (0xde, 0xeb, 0xf7), (0xc6, 0xdb, 0xef), (0x9e, 0xca, 0xe1), (0x6b, 0xae, 0xd6),
                    (0x42, 0x92, 0xc6), (0x21, 0x71, 0xb5), (0x08, 0x51, 0x9c), (0x08, 0x30, 0x6b)]
        }
    }
}
