import Foundation
import EngineFormats
import EngineTensor

/// How to read an audio file, with librosa.load's defaults.
public struct LoadOptions: Equatable, Sendable {
    /// Target rate in Hz; nil keeps the file's own rate. librosa's default is 22050.
    public var sampleRate: Int?
    /// Seconds to skip at the start, measured at the file's own rate.
    public var offset: Double
    /// Seconds to read after `offset`; nil reads to the end.
    public var duration: Double?
    /// libsoxr recipe used when the rate changes (librosa's `soxr_hq`).
    public var quality: ResampleQuality

    public init(sampleRate: Int? = 22050, offset: Double = 0, duration: Double? = nil,
                quality: ResampleQuality = .high) {
        self.sampleRate = sampleRate
        self.offset = offset
        self.duration = duration
        self.quality = quality
    }
}

extension AudioSignal {
    /// Reads any file libsndfile opens (WAV, FLAC, OGG, AIFF; integer or float samples) as librosa.load
    /// does: seek to `int(offset · sr)`, read `int(duration · sr)` frames, average the channels to mono,
    /// then resample with libsoxr to `options.sampleRate` (length `ceil(n · ratio)`).
    ///
    /// Throws `SoundFileError` naming the file when it is missing, empty, truncated or not audio.
    public static func load(path: String, options: LoadOptions = LoadOptions()) throws -> AudioSignal {
        guard options.offset >= 0, options.offset.isFinite else {
            throw SoundFileError(path: path, reason: "offset must be a non-negative number of seconds, got \(options.offset)")
        }
        if let duration = options.duration, !(duration >= 0 && duration.isFinite) {
            throw SoundFileError(path: path, reason: "duration must be a non-negative number of seconds, got \(duration)")
        }
        let range = { (info: SoundFileInfo) throws -> (start: Int, count: Int?) in
            guard info.frames > 0 else { throw SoundFileError(path: path, reason: "contains no audio frames") }
            let rate = Double(info.sampleRate)
            // Clamped before converting: a huge offset or duration (from a script) must not trap, nor
            // may a damaged header's frame count near Int.max, which rounds up to 2⁶³ as a Double.
            let frames = { (seconds: Double) in seconds * rate < Double(info.frames) ? Int(seconds * rate) : info.frames }
            return (frames(options.offset), options.duration.map(frames))
        }
        let interleaved: [Float], info: SoundFileInfo
        if let plain = try PCMWAVReader.read(path: path, range: range) {
            (interleaved, info) = plain
        } else {
            (interleaved, info) = try SoundFile.read(path: path, range: range)
            if let problem = DataChunkCheck.truncation(path: path) { throw SoundFileError(path: path, reason: problem) }
        }
        let mono = AudioSignal(samples: mixDown(interleaved, channels: info.channels), sampleRate: info.sampleRate)
        guard let target = options.sampleRate else { return mono }
        do {
            return try mono.resampled(to: target, quality: options.quality)
        } catch {
            throw SoundFileError(path: path, reason: "\(error)")
        }
    }

    /// `load(path:options:)` with librosa's argument names: `sr`, `offset`, `duration`.
    public static func load(path: String, sampleRate: Int?, offset: Double = 0,
                            duration: Double? = nil) throws -> AudioSignal {
        try load(path: path, options: LoadOptions(sampleRate: sampleRate, offset: offset, duration: duration))
    }

    /// Mean over channels of interleaved frames, summed in channel order like numpy's mean.
    private static func mixDown(_ interleaved: [Float], channels: Int) -> [Float] {
        guard channels > 1 else { return interleaved }
        let frames = interleaved.count / channels
        let scale = Float(channels)
        return [Float](unsafeUninitializedCapacity: frames) { out, initialized in
            interleaved.withUnsafeBufferPointer { input in
                for frame in 0..<frames {
                    var sum: Float = 0
                    for channel in 0..<channels { sum += input[frame * channels + channel] }
                    out[frame] = sum / scale
                }
            }
            initialized = frames
        }
    }
}
