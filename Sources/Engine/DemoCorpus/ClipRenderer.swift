import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// Turns a `ClipRecipe` into the final 48 kHz samples of one clip.
enum ClipRenderer {
    /// Output sample rate, as RAVDESS.
    package static let sampleRate = 48_000
    /// Level of neutral speech relative to espeak-ng's output at `-a 50` (peaks ≈ 0.4–0.5).
    private static let speechLevel: Float = 0.6
    /// Louder takes are scaled down to this peak, so no clip ever reaches full scale.
    private static let peakCeiling: Float = 0.9
    /// espeak-ng's own leading/trailing near-silence below this amplitude is trimmed before padding.
    private static let silenceThreshold: Float = 1e-3

    /// Synthesizes and post-processes one clip.
    package static func render(_ recipe: ClipRecipe, espeak: URL) throws -> [Float] {
        let synthesized = try ESpeak.synthesize(recipe.espeakArguments, voice: recipe.voice, executable: espeak)
        let rate = Double(sampleRate)
        var speech = try Resampler.resample(trimmed(synthesized.samples),
                                            from: Double(synthesized.sampleRate), to: rate)
        guard !speech.isEmpty else {
            throw DemoCorpusError.badSynthesis(voice: recipe.voice, reason: "silent output for \(recipe.ssml)")
        }
        try applyEffect(recipe.effect, to: &speech, sampleRate: rate)
        try Biquad.lowShelf(frequency: 200, gainDB: recipe.bassDB, sampleRate: rate).apply(to: &speech)
        try Biquad.highShelf(frequency: 4000, gainDB: recipe.trebleDB, sampleRate: rate).apply(to: &speech)
        try Biquad.lowPass(frequency: recipe.channelCutoff, sampleRate: rate).apply(to: &speech)
        Decibels.scale(&speech, by: speechLevel * Float(Decibels.amplitude(fromDB: recipe.loudnessDB)))
        let peak = Decibels.peak(speech)
        if peak > peakCeiling { Decibels.scale(&speech, by: peakCeiling / peak) }
        return padded(speech, recipe: recipe)
    }

    private static func applyEffect(_ effect: VoiceEffect, to speech: inout [Float], sampleRate: Double) throws {
        switch effect {
        case .none:
            return
        case .lowPass(let cutoff):
            try Biquad.lowPass(frequency: cutoff, sampleRate: sampleRate).apply(to: &speech)
        case .overdrive(let gain):
            try SoftClip.overdrive(&speech, gainDB: gain)
        case .tremolo(let rate, let depth):
            try Tremolo.apply(to: &speech, rate: rate, depth: depth, sampleRate: sampleRate)
        case .midBoost(let frequency, let q, let gain):
            try Biquad.peaking(frequency: frequency, q: q, gainDB: gain, sampleRate: sampleRate).apply(to: &speech)
        }
    }

    /// `samples` without the near-silent stretches espeak-ng puts before and after the speech.
    private static func trimmed(_ samples: [Float]) -> [Float] {
        guard let first = samples.firstIndex(where: { abs($0) >= silenceThreshold }),
              let last = samples.lastIndex(where: { abs($0) >= silenceThreshold }) else { return [] }
        return Array(samples[first...last])
    }

    /// Lead and trail silence around `speech`, with a white noise floor over the whole clip.
    private static func padded(_ speech: [Float], recipe: ClipRecipe) -> [Float] {
        let lead = Int(recipe.leadSeconds * Double(sampleRate))
        let trail = Int(recipe.trailSeconds * Double(sampleRate))
        var clip = [Float](repeating: 0, count: lead + speech.count + trail)
        RandomGenerator(seed: recipe.noiseSeed).fillNormal(&clip)
        Decibels.scale(&clip, by: Float(Decibels.amplitude(fromDB: recipe.noiseFloorDB)))
        clip.withUnsafeMutableBufferPointer { out in
            speech.withUnsafeBufferPointer { s in
                for i in s.indices { out[lead + i] += s[i] }
            }
        }
        return clip
    }
}
