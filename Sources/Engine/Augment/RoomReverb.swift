import Foundation
import EngineFormats
import EngineTensor

/// Room impulse responses: synthetic ones and ones read from files.
public enum RoomImpulse {
    /// Exponentially decaying Gaussian noise whose energy falls by 60 dB after `rt60` seconds,
    /// after a unit direct-path impulse; `rt60` seconds long, normalised to unit energy.
    public static func synthetic(rt60: Double, sampleRate: Int, seed: UInt64) throws -> [Float] {
        guard rt60 > 0, rt60 <= 10, sampleRate > 0 else {
            throw DSPError("synthetic RIR needs 0 < RT60 ≤ 10 s and a positive sample rate, got \(rt60) s at \(sampleRate) Hz")
        }
        let count = max(2, Int(rt60 * Double(sampleRate)))
        let random = RandomGenerator(seed: seed, stream: [0x9A])
        var response = [Float](repeating: 0, count: count)
        random.fillNormal(&response)
        // Amplitude decays by 60 dB (factor 1000) over rt60: exp(−ln(1000) · t / rt60).
        let rate = log(1000.0) / (rt60 * Double(sampleRate))
        for i in response.indices { response[i] *= Float(0.3 * exp(-rate * Double(i))) }
        response[0] = 1
        Decibels.scale(&response, by: Float(1 / Decibels.rms(response) / Double(count).squareRoot()))
        return response
    }

    /// An impulse response read from an audio file (channels averaged), resampled to `sampleRate`.
    public static func load(path: String, sampleRate: Int) throws -> [Float] {
        let (samples, info) = try SoundFile.read(path: path)
        let frames = samples.count / info.channels
        guard frames > 0 else { throw DSPError("\(path): impulse response file is empty") }
        var mono = [Float](repeating: 0, count: frames)
        for frame in 0..<frames {
            var sum: Float = 0
            for channel in 0..<info.channels { sum += samples[frame * info.channels + channel] }
            mono[frame] = sum / Float(info.channels)
        }
        return try Resampler.resample(mono, from: Double(info.sampleRate), to: Double(sampleRate))
    }
}

/// Reverberation by FFT convolution with a room impulse response — a synthetic one with RT60 uniform
/// in a range, or one picked at random from a list (e.g. files) — keeping length and RMS level.
public struct RoomReverb: WaveformAugmentation {
    private enum Source: Sendable { case synthetic(low: Double, high: Double, sampleRate: Int), given([[Float]]) }
    private let source: Source
    public let seed: UInt64

    /// Synthetic rooms with RT60 drawn from `[lowRT60, highRT60)` seconds.
    public init(lowRT60: Double, highRT60: Double, sampleRate: Int, seed: UInt64) throws {
        guard lowRT60 > 0, highRT60 >= lowRT60 else {
            throw DSPError("RT60 range [\(lowRT60), \(highRT60)) s must be positive and ordered")
        }
        source = .synthetic(low: lowRT60, high: highRT60, sampleRate: sampleRate)
        self.seed = seed
    }

    /// Rooms picked uniformly from `impulseResponses` (e.g. from `RoomImpulse.load`).
    public init(impulseResponses: [[Float]], seed: UInt64) throws {
        guard !impulseResponses.isEmpty, impulseResponses.allSatisfy({ !$0.isEmpty }) else {
            throw DSPError("room reverb needs at least one non-empty impulse response")
        }
        source = .given(impulseResponses)
        self.seed = seed
    }

    public func apply(to signal: [Float], clip: Int, copy: Int) throws -> [Float] {
        guard !signal.isEmpty else { return signal }
        let random = RandomGenerator(seed: seed, stream: [0x9B, UInt64(clip), UInt64(copy)])
        let response: [Float]
        switch source {
        case .synthetic(let low, let high, let sampleRate):
            response = try RoomImpulse.synthetic(rt60: random.uniformDouble(low, high), sampleRate: sampleRate,
                                                 seed: random.nextUInt64())
        case .given(let responses):
            response = responses[random.int(below: responses.count)]
        }
        var wet = try FFTConvolution.convolve(signal, response)
        wet.removeLast(wet.count - signal.count)
        let dry = Decibels.rms(signal), level = Decibels.rms(wet)
        if level > 0 { Decibels.scale(&wet, by: Float(dry / level)) }
        return wet
    }
}
