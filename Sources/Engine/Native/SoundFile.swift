import CSndFile
import Foundation
import EngineFormats

/// What libsndfile reports about an audio file's header.
public struct SoundFileInfo: Equatable, Sendable {
    /// Frames per second.
    public var sampleRate: Int
    /// Interleaved channels per frame.
    public var channels: Int
    /// Frames in the file (one frame = one sample per channel).
    public var frames: Int

    public init(sampleRate: Int, channels: Int, frames: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.frames = frames
    }
}

/// Container and sample encoding for files the Engine writes.
public enum SoundFileFormat: String, CaseIterable, Sendable {
    case wav16, wav24, wavFloat, flac16, flac24

    var sndfileFormat: Int32 {
        switch self {
        case .wav16: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_16)
        case .wav24: return Int32(SF_FORMAT_WAV | SF_FORMAT_PCM_24)
        case .wavFloat: return Int32(SF_FORMAT_WAV | SF_FORMAT_FLOAT)
        case .flac16: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_16)
        case .flac24: return Int32(SF_FORMAT_FLAC | SF_FORMAT_PCM_24)
        }
    }
}

/// An audio file that could not be read or written; always names the file.
public struct SoundFileError: Error, CustomStringConvertible, Equatable {
    /// The file at fault.
    public var path: String
    /// What went wrong, in libsndfile's words or ours.
    public var reason: String
    public var description: String { "\(path): \(reason)" }

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Thin Swift face of libsndfile: whole-file or ranged reads as interleaved float32, and writes.
public enum SoundFile {
    /// Reads only the header of the file at `path`.
    public static func info(path: String) throws -> SoundFileInfo {
        let handle = try open(path)
        defer { sf_close(handle.file) }
        return handle.info
    }

    /// Reads `frameCount` frames (all remaining when nil) starting at `startFrame`, as interleaved
    /// float32 in [-1, 1] (libsndfile scales integer encodings). Reading past the end yields fewer frames.
    public static func read(path: String, startFrame: Int = 0,
                            frameCount: Int? = nil) throws -> (samples: [Float], info: SoundFileInfo) {
        try read(path: path) { _ in (startFrame, frameCount) }
    }

    /// Opens the file once and reads the frames `range(info)` chooses from its header: a start frame
    /// and a count (nil = to the end). Lets callers convert seconds to frames at the file's own rate
    /// without opening it twice.
    public static func read(path: String, range: (SoundFileInfo) throws -> (start: Int, count: Int?))
        throws -> (samples: [Float], info: SoundFileInfo) {
        let handle = try open(path)
        defer { sf_close(handle.file) }
        let info = handle.info
        let (startFrame, frameCount) = try range(info)
        guard startFrame >= 0 else { throw SoundFileError(path: path, reason: "negative start frame \(startFrame)") }
        let start = min(startFrame, info.frames)
        let wanted = max(0, min(frameCount ?? Int.max, info.frames - start))
        if start > 0, sf_seek(handle.file, sf_count_t(start), SEEK_SET) < 0 {
            throw SoundFileError(path: path, reason: "cannot seek to frame \(start): " + lastError(handle.file))
        }
        // The header's frame count is untrusted: a damaged one may promise more than memory holds.
        guard Double(wanted) * Double(info.channels) <= Double(Dim.maximumElements) else {
            throw SoundFileError(path: path, reason: "header promises \(info.frames) frames of \(info.channels) channels, "
                                 + "more samples than memory holds")
        }
        var samples = [Float](repeating: 0, count: wanted * info.channels)
        let got = samples.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress, wanted > 0 else { return 0 }
            return Int(sf_readf_float(handle.file, base, sf_count_t(wanted)))
        }
        if got < wanted {
            // A header that promises more frames than the data holds: the file is truncated.
            throw SoundFileError(path: path, reason: "truncated: header promises \(info.frames) frames, "
                                 + "could read only \(start + got)")
        }
        return (samples, info)
    }

    /// Writes interleaved float32 `samples` (clipped to [-1, 1] by integer encodings) to `path`.
    public static func write(path: String, samples: [Float], channels: Int = 1, sampleRate: Int,
                             format: SoundFileFormat = .wav16) throws {
        guard channels >= 1, sampleRate >= 1, samples.count % channels == 0 else {
            throw SoundFileError(path: path, reason: "cannot write \(samples.count) samples as "
                                 + "\(channels) channel(s) at \(sampleRate) Hz")
        }
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = format.sndfileFormat
        guard let file = sf_open(path, Int32(SFM_WRITE), &info) else {
            throw SoundFileError(path: path, reason: lastError(nil))
        }
        defer { sf_close(file) }
        // Clip rather than wrap when float data exceeds full scale in an integer encoding.
        sf_command(file, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        let frames = samples.count / channels
        let written = samples.withUnsafeBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress, frames > 0 else { return 0 }
            return Int(sf_writef_float(file, base, sf_count_t(frames)))
        }
        guard written == frames else {
            throw SoundFileError(path: path, reason: "wrote \(written) of \(frames) frames: " + lastError(file))
        }
    }

    private static func open(_ path: String) throws -> (file: OpaquePointer, info: SoundFileInfo) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SoundFileError(path: path, reason: "no such file")
        }
        var raw = SF_INFO()
        guard let file = sf_open(path, Int32(SFM_READ), &raw) else {
            throw SoundFileError(path: path, reason: "not a readable audio file (" + lastError(nil) + ")")
        }
        let info = SoundFileInfo(sampleRate: Int(raw.samplerate), channels: Int(raw.channels),
                                 frames: Int(raw.frames))
        guard info.channels >= 1, info.sampleRate >= 1 else {
            sf_close(file)
            throw SoundFileError(path: path, reason: "header has \(info.channels) channels at \(info.sampleRate) Hz")
        }
        return (file, info)
    }

    private static func lastError(_ file: OpaquePointer?) -> String {
        guard let message = sf_strerror(file) else { return "unknown libsndfile error" }
        return String(cString: message)
    }
}
