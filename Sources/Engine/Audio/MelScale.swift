import Foundation
import EngineTensor

/// The mel scale in librosa's two flavours: Slaney's (linear to 1 kHz, logarithmic above; the
/// default) and HTK's `2595 · log10(1 + f / 700)`.
public enum MelScale {
    private static let linearStep = 200.0 / 3
    private static let breakHz = 1000.0
    private static let breakMel = breakHz / linearStep
    private static let logStep = log(6.4) / 27

    /// Hz to mels (librosa.hz_to_mel).
    public static func hzToMel(_ hz: Double, htk: Bool = false) -> Double {
        if htk { return 2595 * log10(1 + hz / 700) }
        return hz >= breakHz ? breakMel + log(hz / breakHz) / logStep : hz / linearStep
    }

    /// Mels to Hz (librosa.mel_to_hz).
    public static func melToHz(_ mel: Double, htk: Bool = false) -> Double {
        if htk { return 700 * (pow(10, mel / 2595) - 1) }
        return mel >= breakMel ? breakHz * exp(logStep * (mel - breakMel)) : linearStep * mel
    }

    /// `count` frequencies in Hz evenly spaced in mels from `fmin` to `fmax` (librosa.mel_frequencies).
    public static func frequencies(count: Int, fmin: Double, fmax: Double, htk: Bool = false) -> [Double] {
        let low = hzToMel(fmin, htk: htk), high = hzToMel(fmax, htk: htk)
        guard count > 1 else { return count == 1 ? [melToHz(low, htk: htk)] : [] }
        // numpy.linspace's arithmetic: start + i · step, with the last point exactly `high`.
        let step = (high - low) / Double(count - 1)
        return (0..<count).map { melToHz($0 == count - 1 ? high : Double($0) * step + low, htk: htk) }
    }
}
