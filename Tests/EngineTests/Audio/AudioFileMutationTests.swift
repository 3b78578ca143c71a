import Engine
import XCTest

/// Damaged audio files through every Engine read path: valid WAV (16/24/32-bit, float, mono and
/// stereo, extensible, extra chunks), AIFF and FLAC files are truncated at every header byte,
/// have header fields overwritten with 0, 1, 0xFF… and huge sizes, and get a few thousand seeded
/// random byte edits. Each read must return or throw; a trap ends the test run, which is the failure.
final class AudioFileMutationTests: XCTestCase {
    private var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "serscript-audio-mutations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func testTruncatedAndOverwrittenHeadersNeverTrap() throws {
        var files = 0
        for (name, bytes) in try Self.validFiles(in: folder) {
            let headerEnd = min(bytes.count, Self.headerLength(of: bytes))
            for cut in 0...headerEnd {   // every header byte offset, plus one into the samples
                try read(Array(bytes.prefix(cut)), name)
                files += 1
            }
            for offset in stride(from: 4, to: headerEnd - 1, by: 2) {
                for value in Self.fieldValues {
                    var mutated = bytes
                    for i in 0..<min(4, mutated.count - offset) { mutated[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
                    try read(mutated, name)
                    var bigEndian = bytes   // AIFF and FLAC sizes are big-endian
                    for i in 0..<min(4, bigEndian.count - offset) { bigEndian[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * (3 - i))) }
                    try read(bigEndian, name)
                    files += 2
                }
            }
        }
        XCTAssertGreaterThan(files, 2000)
    }

    func testSeededRandomMutationsNeverTrap() throws {
        let valid = try Self.validFiles(in: folder)
        var state: UInt64 = 0x5EED_A0D1
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(max(bound, 1)))
        }
        let started = Date()
        var count = 0
        // Bounded by count and by time, whichever comes first.
        while count < 3000, Date().timeIntervalSince(started) < 8 {
            let (name, original) = valid[next(valid.count)]
            var bytes = original
            let headerEnd = Self.headerLength(of: bytes)
            for _ in 0...next(4) {
                let at = next(3) == 0 ? next(bytes.count) : next(headerEnd)   // mostly the header
                switch next(4) {
                case 0: bytes[at] = UInt8(next(256))
                case 1: bytes[at] = [0x00, 0xFF, 0x7F, 0x80][next(4)]
                case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + next(8)))
                default: bytes.insert(contentsOf: (0..<1 + next(8)).map { _ in UInt8(next(256)) }, at: at)
                }
                if bytes.isEmpty { break }
            }
            try read(bytes, name)
            count += 1
        }
        XCTAssertGreaterThan(count, 200)
    }

    /// A header promising far more frames than the file holds is refused before anything that
    /// size is allocated.
    func testHugeDeclaredSizesAreErrors() throws {
        let path = folder + "/huge.wav"
        var bytes = Self.wav(tag: 1, channels: 2, bits: 16, frames: 64)
        Self.put(UInt32.max - 1, at: 40, in: &bytes)   // data chunk size
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try AudioSignal.load(path: path, sampleRate: nil)) { XCTAssertTrue("\($0)".contains("truncated"), "\($0)") }
    }

    /// Every read path on `bytes` written as a file: each returns or throws.
    private func read(_ bytes: [UInt8], _ name: String) throws {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        _ = try? SoundFile.info(path: path)
        _ = try? SoundFile.read(path: path)
        _ = try? PCMWAVReader.read(path: path, startFrame: 3, frameCount: 5)
        _ = try? AudioSignal.load(path: path, sampleRate: nil)
        _ = try? AudioSignal.load(path: path, options: LoadOptions(sampleRate: 11025, offset: 0.01, duration: 0.02))
        _ = try? AudioSignal.load(path: path, options: LoadOptions(sampleRate: 8000, offset: 1e300, duration: 1e300))
    }

    /// Values written over header fields: zero, one, sign bits, all ones, odd sizes.
    private static let fieldValues: [UInt32] = [0, 1, 3, 0x7F, 0xFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]

    /// Bytes before the first sample (a generous bound for FLAC, whose header is metadata blocks).
    private static func headerLength(of bytes: [UInt8]) -> Int {
        if let data = find("data", in: bytes) { return data + 8 }
        if let sound = find("SSND", in: bytes) { return sound + 16 }
        return min(bytes.count, 96)
    }

    private static func find(_ tag: String, in bytes: [UInt8]) -> Int? {
        let pattern = Array(tag.utf8)
        return (0..<max(0, bytes.count - 3)).first { Array(bytes[$0..<$0 + 4]) == pattern }
    }

    private static func validFiles(in folder: String) throws -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = [
            ("pcm16-mono.wav", wav(tag: 1, channels: 1, bits: 16, frames: 120)),
            ("pcm24-stereo.wav", wav(tag: 1, channels: 2, bits: 24, frames: 60)),
            ("pcm32-mono.wav", wav(tag: 1, channels: 1, bits: 32, frames: 60, extraChunks: true)),
            ("float-stereo.wav", wav(tag: 3, channels: 2, bits: 32, frames: 60)),
            ("extensible.wav", wav(tag: 1, channels: 2, bits: 16, frames: 60, extensible: true, extraChunks: true)),
            ("pcm16-stereo.aiff", aiff(channels: 2, frames: 60)),
        ]
        let flac = folder + "/valid.flac"
        try SoundFile.write(path: flac, samples: (0..<400).map { Float(sin(Double($0) / 5)) * 0.5 }, channels: 2,
                            sampleRate: 8000, format: .flac16)
        files.append(("stereo.flac", [UInt8](try Data(contentsOf: URL(fileURLWithPath: flac)))))
        return files
    }

    private static func put(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    private static func le(_ value: Int, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
    private static func be(_ value: Int, _ width: Int) -> [UInt8] { le(value, width).reversed() }

    /// A RIFF/WAVE file at 8000 Hz of a quiet ramp; optionally WAVE_FORMAT_EXTENSIBLE and with
    /// LIST/fact chunks (one of odd size, so a pad byte) around the format chunk.
    static func wav(tag: Int, channels: Int, bits: Int, frames: Int, extensible: Bool = false, extraChunks: Bool = false) -> [UInt8] {
        let bytesPerSample = bits / 8
        var format = le(extensible ? 0xFFFE : tag, 2) + le(channels, 2) + le(8000, 4) + le(8000 * channels * bytesPerSample, 4)
            + le(channels * bytesPerSample, 2) + le(bits, 2)
        if extensible {
            format += le(22, 2) + le(bits, 2) + le(3, 4) + le(tag, 2) + [0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]
        }
        var data: [UInt8] = []
        for i in 0..<frames * channels {
            let x = Double(i % 50) / 100 - 0.25
            if tag == 3 {
                data += le(Int(Float(x).bitPattern), 4)
            } else {
                data += le(Int(x * Double(1 << (bits - 1))), bytesPerSample)
            }
        }
        func chunk(_ id: String, _ body: [UInt8]) -> [UInt8] { Array(id.utf8) + le(body.count, 4) + body + (body.count % 2 == 1 ? [0] : []) }
        var body = Array("WAVE".utf8)
        if extraChunks { body += chunk("LIST", Array("INFOISFT\u{5}\0\0\0serscript".utf8)) }
        body += chunk("fmt ", format)
        if extraChunks { body += chunk("fact", le(frames, 4)) + chunk("junk", [1, 2, 3]) }
        body += chunk("data", data)
        return Array("RIFF".utf8) + le(body.count, 4) + body
    }

    /// A 16-bit AIFF file at 8000 Hz (the rate as an 80-bit extended float: 8000 = 1.953125 · 2¹²).
    static func aiff(channels: Int, frames: Int) -> [UInt8] {
        let rate: [UInt8] = be(16383 + 12, 2) + be(Int(8000 << (63 - 12)), 8)
        let common = be(channels, 2) + be(frames, 4) + be(16, 2) + rate
        let samples = (0..<frames * channels).flatMap { be(($0 % 40 - 20) * 500, 2) }
        let sound = be(0, 4) + be(0, 4) + samples
        let body = Array("AIFF".utf8) + Array("COMM".utf8) + be(common.count, 4) + common
            + Array("SSND".utf8) + be(sound.count, 4) + sound
        return Array("FORM".utf8) + be(body.count, 4) + body
    }
}
