import EngineTensor
import EngineAudio

/// One clip of the corpus: who says which statement, how, and which take.
struct DemoClip: Sendable {
    package var speaker: DemoSpeaker
    package var emotion: DemoEmotion
    /// 1 normal, 2 strong (neutral only 1), as RAVDESS codes it.
    package var intensity: Int
    var statement: Int
    var repetition: Int
}

/// Every concrete number needed to render one clip, drawn from the seed.
///
/// Randomness comes from three independent streams keyed by the clip's identity — per speaker
/// (voice style and recording channel), per speaker × emotion (personal way of expressing it) and per
/// clip (take-to-take variation) — so a clip is the same whichever other clips are generated with it.
struct ClipRecipe {
    var voice: String
    /// SSML document passed to espeak-ng (`-m`).
    var ssml: String
    var pitch: Int
    var wordsPerMinute: Int
    var wordGap: Int
    var effect: VoiceEffect
    /// Gain after synthesis carrying the emotion's loudness.
    var loudnessDB: Double
    /// Recording-channel colouring of the speaker.
    var bassDB: Double, trebleDB: Double, channelCutoff: Double
    var leadSeconds: Double, trailSeconds: Double
    /// RMS of the white noise floor, in dBFS.
    var noiseFloorDB: Double
    /// Seed of the noise floor, the next draw of the clip's stream (a seed rather than a generator,
    /// so rendering the same recipe twice gives the same clip).
    var noiseSeed: UInt64

    init(clip: DemoClip, seed: UInt64) {
        let actor = UInt64(clip.speaker.actor), emotion = UInt64(clip.emotion.rawValue)
        let speaker = RandomGenerator(seed: seed, stream: [1, actor])
        let personal = RandomGenerator(seed: seed, stream: [2, actor, emotion])
        let take = RandomGenerator(seed: seed, stream: [3, actor, emotion, UInt64(clip.intensity),
                                                        UInt64(clip.statement), UInt64(clip.repetition)])
        // Per speaker: base voice, expressiveness, recording channel.
        let basePitch = speaker.uniformDouble(40, 60)
        let baseRate = speaker.jitter(170, relative: 0.10)
        let expressiveness = speaker.uniformDouble(0.75, 1.25)
        bassDB = speaker.uniformDouble(-6, 6)
        trebleDB = speaker.uniformDouble(-6, 6)
        channelCutoff = speaker.uniformDouble(6000, 16000)

        let style = EmotionStyle.of(clip.emotion, strong: clip.intensity == 2)
        let neutral = EmotionStyle.neutral
        func expressed(_ value: Double, _ reference: Double) -> Double {
            reference + expressiveness * (value - reference)
        }
        let pitchValue = basePitch + expressed(style.pitch, neutral.pitch) - neutral.pitch
            + personal.uniformDouble(-5, 5) + take.uniformDouble(-5, 5)
        let rangeValue = expressed(style.range, neutral.range)
            * personal.jitter(1, relative: 0.25) * take.jitter(1, relative: 0.15)
        let rateValue = baseRate * expressed(style.rate / neutral.rate, 1)
            * personal.jitter(1, relative: 0.06) * take.jitter(1, relative: 0.07)
        let amplitude = expressed(style.amplitude, neutral.amplitude) + take.uniformDouble(-15, 15)
        let gapValue = style.gap + take.uniformDouble(0, 1)
        let effectFactor = personal.jitter(1, relative: 0.3) * take.jitter(1, relative: 0.1)

        voice = clip.speaker.voice
        pitch = Int(pitchValue.rounded()).clamped(0, 99)
        wordsPerMinute = Int(rateValue.rounded()).clamped(80, 450)
        wordGap = Int(gapValue.rounded())
        let rangePercent = Int((100 * rangeValue).rounded()).clamped(10, 400)
        let words = DemoStatement.text(of: clip.statement) ?? ""
        ssml = "<speak><prosody range=\"\(rangePercent)%\">\(words)\(style.ending)</prosody></speak>"
        effect = style.effect.scaled(by: effectFactor)
        loudnessDB = Decibels.db(fromAmplitude: max(amplitude, 15) / neutral.amplitude)
        leadSeconds = take.uniformDouble(0.55, 1.0)
        trailSeconds = take.uniformDouble(0.4, 0.8)
        noiseFloorDB = take.uniformDouble(-70, -60)
        noiseSeed = take.nextUInt64()
    }

    /// The espeak-ng command-line arguments (amplitude fixed well below espeak's clipping point).
    var espeakArguments: [String] {
        ["-m", "-v", voice, "-p", "\(pitch)", "-s", "\(wordsPerMinute)", "-a", "50",
         "-g", "\(wordGap)", "--stdout", ssml]
    }
}

private extension RandomGenerator {
    /// Uniform in `center · (1 ± spread)`.
    func jitter(_ center: Double, relative spread: Double) -> Double {
        center * (1 + uniformDouble(-spread, spread))
    }
}

private extension Int {
    func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(self, lo), hi) }
}
