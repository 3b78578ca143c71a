import Engine
import XCTest

/// The direct WAV reader must give exactly what libsndfile gives (`SoundFile.read` always goes
/// through libsndfile), for every encoding it takes on and for headers laid out in unusual ways.
final class PCMWAVReaderTests: XCTestCase {
    private var scratch: [String] = []

    override func tearDown() {
        for path in scratch { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A RIFF/WAVE file: `chunksBeforeFormat`, a `fmt ` chunk of `format` bytes, `chunksBeforeData`, then `data`.
    private func wav(format: [UInt8], data: [UInt8], chunksBeforeFormat: [(String, [UInt8])] = [],
                     chunksBeforeData: [(String, [UInt8])] = [], declaredDataBytes: Int? = nil) throws -> String {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func chunk(_ id: String, _ body: [UInt8], declared: Int? = nil) -> [UInt8] {
            Array(id.utf8) + le32(declared ?? body.count) + body + (body.count % 2 == 1 ? [0] : [])
        }
        var body = Array("WAVE".utf8)
        for (id, bytes) in chunksBeforeFormat { body += chunk(id, bytes) }
        body += chunk("fmt ", format)
        for (id, bytes) in chunksBeforeData { body += chunk(id, bytes) }
        body += chunk("data", data, declared: declaredDataBytes)
        let path = NSTemporaryDirectory() + "serscript-wav-\(UUID().uuidString).wav"
        try Data(Array("RIFF".utf8) + le32(body.count) + body).write(to: URL(fileURLWithPath: path))
        scratch.append(path)
        return path
    }

    private func format(tag: Int, channels: Int, rate: Int, bits: Int, extensible: (valid: Int, subformat: Int)? = nil) -> [UInt8] {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xffff) + le16(v >> 16) }
        let blockAlign = channels * bits / 8
        var bytes = le16(extensible == nil ? tag : 0xFFFE) + le16(channels) + le32(rate) + le32(rate * blockAlign)
            + le16(blockAlign) + le16(bits)
        if let extensible {
            // cbSize, valid bits, channel mask, then the sub-format GUID (its first two bytes are the tag).
            bytes += le16(22) + le16(extensible.valid) + le32(channels == 1 ? 4 : 3) + le16(extensible.subformat)
                + [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        }
        return bytes
    }

    /// Pseudo-random sample bytes including the extreme codes (all 0x00 / 0xFF / 0x80 patterns).
    private func noiseBytes(_ count: Int) -> [UInt8] {
        var state: UInt32 = 12345
        return (0..<count).map { i in
            if i < 12 { return [0x00, 0xFF, 0x80, 0x7F][i % 4] }
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(truncatingIfNeeded: state >> 24)
        }
    }

    /// The direct reader takes the file (returns non-nil) and agrees with libsndfile bit for bit,
    /// and `AudioSignal.load` gives the mono mix of the same samples.
    private func assertMatchesLibsndfile(_ path: String, channels: Int, startFrame: Int = 0, frameCount: Int? = nil,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        guard let direct = try PCMWAVReader.read(path: path, startFrame: startFrame, frameCount: frameCount) else {
            return XCTFail("the direct reader declined the file", file: file, line: line)
        }
        let (reference, info) = try SoundFile.read(path: path, startFrame: startFrame, frameCount: frameCount)
        XCTAssertEqual(direct.info, info, file: file, line: line)
        XCTAssertEqual(info.channels, channels, file: file, line: line)
        XCTAssertEqual(direct.samples.count, reference.count, file: file, line: line)
        XCTAssertTrue(direct.samples.elementsEqual(reference) { $0.bitPattern == $1.bitPattern },
                      "samples differ from libsndfile's", file: file, line: line)
        let frames = reference.count / channels
        let mono = (0..<frames).map { f in (0..<channels).reduce(Float(0)) { $0 + reference[f * channels + $1] } / Float(channels) }
        let loaded = try AudioSignal.load(path: path, options: LoadOptions(
            sampleRate: nil, offset: Double(startFrame) / Double(info.sampleRate),
            duration: frameCount.map { Double($0) / Double(info.sampleRate) }))
        XCTAssertEqual(loaded.samples, mono, file: file, line: line)
    }

    func testIntegerAndFloatEncodingsMatchLibsndfileExactly() throws {
        for (bits, tag) in [(16, 1), (24, 1), (32, 1), (32, 3)] {
            for channels in [1, 2] {
                var data = noiseBytes(channels * bits / 8 * 1000)
                if tag == 3 {
                    // Floats in [-1, 1]: libsndfile and the direct reader copy them unchanged.
                    let values = (0..<channels * 1000).map { Float(sin(Double($0) * 0.01)) }
                    data = values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
                }
                let path = try wav(format: format(tag: tag, channels: channels, rate: 16000, bits: bits), data: data)
                try assertMatchesLibsndfile(path, channels: channels)
                try assertMatchesLibsndfile(path, channels: channels, startFrame: 160, frameCount: 320)
            }
        }
    }

    func testUnusualHeaderLayouts() throws {
        let data = noiseBytes(2 * 777)
        // A chunk of odd length (padded) before `fmt `, and two more before `data`.
        let padded = try wav(format: format(tag: 1, channels: 1, rate: 8000, bits: 16), data: data,
                             chunksBeforeFormat: [("xtra", [1, 2, 3, 4, 5])],
                             chunksBeforeData: [("fact", [0, 0, 0, 0]), ("junk", Array(repeating: 7, count: 33))])
        try assertMatchesLibsndfile(padded, channels: 1)
        // WAVE_FORMAT_EXTENSIBLE with PCM and with float sub-formats.
        let extensible = try wav(format: format(tag: 1, channels: 2, rate: 44100, bits: 24, extensible: (24, 1)),
                                 data: noiseBytes(6 * 300))
        try assertMatchesLibsndfile(extensible, channels: 2)
        // 20 valid bits in a 24-bit container: left to libsndfile, still read.
        let partial = try wav(format: format(tag: 1, channels: 1, rate: 44100, bits: 24, extensible: (20, 1)),
                              data: noiseBytes(3 * 300))
        XCTAssertNil(try PCMWAVReader.read(path: partial))
        XCTAssertEqual(try AudioSignal.load(path: partial, sampleRate: nil).count, 300)
    }

    func testTruncatedDataChunkIsReported() throws {
        let path = try wav(format: format(tag: 1, channels: 1, rate: 8000, bits: 16), data: noiseBytes(1000),
                           declaredDataBytes: 4000)
        XCTAssertThrowsError(try AudioSignal.load(path: path, sampleRate: nil)) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
            XCTAssertTrue("\(error)".contains("declares 4000 bytes of audio but the file holds only 1000"), "\(error)")
        }
    }

    func testOtherFilesAreLeftToLibsndfile() throws {
        XCTAssertNil(try PCMWAVReader.read(path: LibrosaFixtures.path("format_u8.wav")))
        XCTAssertNil(try PCMWAVReader.read(path: LibrosaFixtures.path("format_s24.aiff")))
        XCTAssertNil(try PCMWAVReader.read(path: "/nonexistent/clip.wav"))
        XCTAssertNotNil(try PCMWAVReader.read(path: LibrosaFixtures.path("speech48.wav")))
    }

    func testAFileWithAnEmptyDataChunkSaysSo() throws {
        let path = try wav(format: format(tag: 1, channels: 1, rate: 8000, bits: 16), data: [])
        XCTAssertThrowsError(try AudioSignal.load(path: path, sampleRate: nil)) { error in
            XCTAssertTrue("\(error)".contains("no audio frames"), "\(error)")
        }
    }
}
