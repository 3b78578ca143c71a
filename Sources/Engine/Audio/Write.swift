import EngineFormats
import EngineTensor

extension AudioSignal {
    /// Writes the signal to `path` as a mono WAV or FLAC file (16-bit WAV by default); integer
    /// encodings clip samples outside [-1, 1]. Throws `SoundFileError` naming the file.
    public func write(path: String, format: SoundFileFormat = .wav16) throws {
        try SoundFile.write(path: path, samples: samples, channels: 1, sampleRate: sampleRate, format: format)
    }
}
