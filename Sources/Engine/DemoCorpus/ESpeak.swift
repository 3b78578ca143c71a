import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// Runs the espeak-ng command (a child process) and decodes the 16-bit PCM WAV it writes to stdout.
enum ESpeak {
    /// The espeak-ng executable found on PATH.
    static func executable() throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("espeak-ng")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw DemoCorpusError.espeakMissing
    }

    /// Throws for the first voice whose variant espeak-ng does not have: espeak-ng silently falls
    /// back to its default voice for an unknown variant, which would merge two speakers.
    static func checkVoices(_ speakers: [DemoSpeaker], executable: URL) throws {
        let listing = String(decoding: try run(executable, ["--voices=variant"]), as: UTF8.self)
        let files = Set(listing.split(whereSeparator: \.isWhitespace).filter { $0.hasPrefix("!v/") }
                            .map { String($0.dropFirst(3)) })
        for speaker in speakers where !files.contains(speaker.variant) {
            throw DemoCorpusError.voiceMissing(voice: speaker.voice)
        }
    }

    /// Synthesizes with `arguments` (which must include `--stdout`); returns mono samples in [-1, 1]
    /// and their sample rate.
    static func synthesize(_ arguments: [String], voice: String,
                           executable: URL) throws -> (samples: [Float], sampleRate: Int) {
        try decodeWAV(try run(executable, arguments), voice: voice)
    }

    private static func run(_ executable: URL, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain stderr concurrently so a chatty child can never block on a full pipe.
        let errorData = LockedData()
        let drained = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errorData.value = errors.fileHandleForReading.readDataToEndOfFile()
            drained.signal()
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        drained.wait()
        let command = ([executable.lastPathComponent] + arguments).joined(separator: " ")
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData.value, as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw DemoCorpusError.espeakFailed(command: command, status: process.terminationStatus,
                                               message: message)
        }
        return data
    }

    /// Decodes a RIFF/WAVE stream of mono 16-bit PCM. espeak-ng writing to a pipe cannot seek back
    /// to fix the sizes, so the data chunk is taken to run to the end of the stream.
    static func decodeWAV(_ data: Data, voice: String) throws -> (samples: [Float], sampleRate: Int) {
        let bytes = [UInt8](data)
        func fail(_ reason: String) -> DemoCorpusError { .badSynthesis(voice: voice, reason: reason) }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8),
              bytes[8..<12].elementsEqual("WAVE".utf8) else { throw fail("not a RIFF/WAVE stream") }
        var offset = 12
        var sampleRate: Int?
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = u32(offset + 4)
            let body = offset + 8
            if id == "fmt " {
                guard body + 16 <= bytes.count else { throw fail("truncated fmt chunk") }
                let format = u16(body), channels = u16(body + 2), bits = u16(body + 14)
                guard format == 1, channels == 1, bits == 16 else {
                    throw fail("expected mono 16-bit PCM, got format \(format), \(channels) channel(s), \(bits) bits")
                }
                sampleRate = u32(body + 4)
            } else if id == "data" {
                guard let rate = sampleRate, rate > 0 else { throw fail("data chunk before fmt chunk") }
                let count = (bytes.count - body) / 2
                var samples = [Float](repeating: 0, count: count)
                for i in 0..<count {
                    samples[i] = Float(Int16(bitPattern: UInt16(u16(body + 2 * i)))) / 32768
                }
                return (samples, rate)
            }
            offset = body + size + (size & 1)
        }
        throw fail("no data chunk")
    }
}

/// A value written by one thread and read by another after a semaphore hand-over.
private final class LockedData: @unchecked Sendable {
    package var value = Data()
}
