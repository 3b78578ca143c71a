import CZlib
import Foundation
import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

final class PNGTests: XCTestCase {
    func testChunkChecksumMatchesThePublishedCheckValue() {
        XCTAssertEqual(PNG.crc32(Array("123456789".utf8)), 0xCBF4_3926)
    }

    /// Reads the file back by the PNG specification: chunk CRCs, IHDR, zlib's inflate of IDAT, and the
    /// five scanline filters undone here (independently of the encoder's code).
    private func decode(_ png: Data) throws -> (width: Int, height: Int, rgb: [UInt8], idat: Int) {
        let bytes = [UInt8](png)
        XCTAssertEqual(Array(bytes[0..<8]), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func u32(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        var offset = 8
        var chunks: [(String, [UInt8])] = []
        while offset < bytes.count {
            let length = u32(offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let payload = Array(bytes[(offset + 8)..<(offset + 8 + length)])
            XCTAssertEqual(UInt32(u32(offset + 8 + length)), PNG.crc32(Array(bytes[(offset + 4)..<(offset + 8 + length)])), type)
            chunks.append((type, payload))
            offset += 12 + length
        }
        XCTAssertEqual(chunks.map(\.0), ["IHDR", "IDAT", "IEND"])
        let header = chunks[0].1
        XCTAssertEqual(Array(header[8..<13]), [8, 2, 0, 0, 0])
        let width = Int(header[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let height = Int(header[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        let stride = width * 3
        var raw = [UInt8](repeating: 0, count: height * (stride + 1))
        var rawSize = uLong(raw.count)
        let stream = chunks[1].1
        XCTAssertEqual(uncompress(&raw, &rawSize, stream, uLong(stream.count)), Z_OK, "zlib inflates IDAT")
        XCTAssertEqual(Int(rawSize), raw.count)

        var rgb = [UInt8](repeating: 0, count: height * stride)
        for row in 0..<height {
            let type = raw[row * (stride + 1)]
            for i in 0..<stride {
                let x = Int(raw[row * (stride + 1) + 1 + i])
                let a = i >= 3 ? Int(rgb[row * stride + i - 3]) : 0
                let b = row > 0 ? Int(rgb[(row - 1) * stride + i]) : 0
                let c = i >= 3 && row > 0 ? Int(rgb[(row - 1) * stride + i - 3]) : 0
                let p = a + b - c
                let paeth = abs(p - a) <= abs(p - b) && abs(p - a) <= abs(p - c) ? a : abs(p - b) <= abs(p - c) ? b : c
                let predictor = [0, a, b, (a + b) / 2, paeth][Int(type)]
                rgb[row * stride + i] = UInt8((x + predictor) & 0xFF)
            }
        }
        return (width, height, rgb, stream.count)
    }

    func testSmallImageRoundTrips() throws {
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]
        let decoded = try decode(PNG.encode(width: 2, height: 2, rgb: rgb))
        XCTAssertEqual(decoded.width, 2)
        XCTAssertEqual(decoded.height, 2)
        XCTAssertEqual(decoded.rgb, rgb)
        XCTAssertThrowsMessage(try PNG.encode(width: 2, height: 2, rgb: [0]), contains: ["2 × 2", "12 RGB bytes"])
    }

    func testNoisyImageRoundTripsThroughEveryFilter() throws {
        let (width, height) = (300, 100)
        var generator = SplitMix64(seed: 20_261_203)   // seeded: a failure reproduces
        // Rows alternate noise with smooth ramps so that every filter type gets chosen somewhere.
        let rgb = (0..<(width * height * 3)).map { index -> UInt8 in
            let (row, column) = (index / (width * 3), index % (width * 3))
            return row % 3 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8(truncatingIfNeeded: column / 3 + row * 2)
        }
        let decoded = try decode(PNG.encode(width: width, height: height, rgb: rgb))
        XCTAssertEqual(decoded.rgb, rgb)
        let filtered = PNG.filtered(width: width, height: height, rgb: rgb)
        let types = Set((0..<height).map { filtered[$0 * (width * 3 + 1)] })
        XCTAssertGreaterThanOrEqual(types.count, 3, "filters used: \(types.sorted())")
    }

    func testSmoothImageCompressesFarBelowItsRawSize() throws {
        // A spectrogram-like image: colours vary slowly along both axes.
        let (width, height) = (400, 200)
        var rgb = [UInt8]()
        for row in 0..<height {
            for column in 0..<width {
                let level = 0.5 + 0.5 * sin(Double(column) / 40) * cos(Double(row) / 25)
                rgb += [UInt8(level * 255), UInt8((1 - level) * 200), UInt8(80 + level * 100)]
            }
        }
        let png = try PNG.encode(width: width, height: height, rgb: rgb)
        let decoded = try decode(png)
        XCTAssertEqual(decoded.rgb, rgb)
        // Stored blocks would need the raw size (plus 5 bytes per 65 535); zlib with filters a small part of it.
        let raw = height * (width * 3 + 1)
        XCTAssertLessThan(png.count, raw / 5, "PNG \(png.count) bytes for \(raw) raw bytes")
    }
}
