import EngineTensor
import EngineAudio

/// A voice-quality effect applied after synthesis, at the strength of one clip.
enum VoiceEffect: Equatable {
    case none
    /// Breathy, muffled voice (calm, sad).
    case lowPass(cutoff: Double)
    /// Pressed, harsh voice (angry).
    case overdrive(gainDB: Double)
    /// Shaky voice (fearful).
    case tremolo(rate: Double, depth: Double)
    /// Nasal, constricted voice (disgust).
    case midBoost(frequency: Double, q: Double, gainDB: Double)

    /// The same effect with its strength multiplied by `factor` (a cut-off moves the other way:
    /// a stronger low-pass has a lower cut-off).
    package func scaled(by factor: Double) -> VoiceEffect {
        switch self {
        case .none: return .none
        case .lowPass(let cutoff): return .lowPass(cutoff: cutoff / factor)
        case .overdrive(let gain): return .overdrive(gainDB: gain * factor)
        case .tremolo(let rate, let depth): return .tremolo(rate: rate * factor.squareRoot(),
                                                            depth: min(0.9, depth * factor))
        case .midBoost(let f, let q, let gain): return .midBoost(frequency: f, q: q, gainDB: gain * factor)
        }
    }
}

/// How an emotion is rendered at one intensity: espeak-ng prosody plus a voice-quality effect.
/// Values are those the feasibility study measured last (shared/docs/demo-corpus.md).
struct EmotionStyle {
    /// espeak-ng `-p` (0…99) for an average speaker.
    var pitch: Double
    /// SSML pitch range relative to neutral (1 = 100 %).
    package var range: Double
    /// Words per minute for an average speaker.
    package var rate: Double
    /// espeak-ng `-a` equivalent; realised as gain after synthesis, never as `-a` (espeak clips).
    package var amplitude: Double
    /// espeak-ng `-g`, extra gap between words in units of 10 ms.
    var gap: Double
    /// Sentence-final punctuation, which changes espeak's intonation.
    var ending: String
    var effect: VoiceEffect

    static let neutral = EmotionStyle(pitch: 50, range: 1, rate: 170, amplitude: 50, gap: 0, ending: ".",
                                      effect: .none)

    /// The style of `emotion` at intensity 1 (normal) or 2 (strong).
    package static func of(_ emotion: DemoEmotion, strong: Bool) -> EmotionStyle {
        func pick(_ normal: Double, _ strongValue: Double) -> Double { strong ? strongValue : normal }
        switch emotion {
        case .neutral:
            return neutral
        case .calm:
            return EmotionStyle(pitch: pick(45, 42), range: pick(0.70, 0.52), rate: pick(150, 137),
                                amplitude: pick(42, 38), gap: pick(1, 2), ending: ".",
                                effect: .lowPass(cutoff: pick(5000, 3500)))
        case .happy:
            return EmotionStyle(pitch: pick(62, 69), range: pick(1.5, 1.8), rate: pick(184, 192),
                                amplitude: pick(58, 62), gap: 0, ending: "!", effect: .none)
        case .sad:
            return EmotionStyle(pitch: pick(38, 31), range: pick(0.5, 0.2), rate: pick(136, 116),
                                amplitude: pick(38, 30), gap: pick(2, 3), ending: ".",
                                effect: .lowPass(cutoff: pick(3000, 2200)))
        case .angry:
            return EmotionStyle(pitch: pick(56, 60), range: pick(1.3, 1.48), rate: pick(190, 203),
                                amplitude: pick(75, 90), gap: 0, ending: "!",
                                effect: .overdrive(gainDB: pick(5, 10)))
        case .fearful:
            return EmotionStyle(pitch: pick(68, 79), range: pick(1.2, 1.32), rate: pick(201, 219),
                                amplitude: 50, gap: pick(1, 2), ending: ".",
                                effect: .tremolo(rate: pick(7, 8), depth: pick(0.4, 0.6)))
        case .disgust:
            return EmotionStyle(pitch: pick(42, 37), range: pick(1.2, 1.32), rate: pick(139, 121),
                                amplitude: pick(52, 54), gap: pick(2, 3), ending: ".",
                                effect: .midBoost(frequency: 1200, q: 1, gainDB: pick(6, 9)))
        case .surprised:
            return EmotionStyle(pitch: pick(70, 82), range: pick(1.8, 2.28), rate: 170,
                                amplitude: pick(60, 66), gap: 0, ending: "?", effect: .none)
        }
    }
}
