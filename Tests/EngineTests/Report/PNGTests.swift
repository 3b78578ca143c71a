import Foundation
import XCTest
@testable import Engine

final class PNGTests: XCTestCase {
    func testChecksumsMatchPublishedCheckValues() {
        XCTAssertEqual(PNG.crc32(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(PNG.adler32(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(PNG.adler32([]), 1)
    }

    /// Reads the file back by the PNG specification: chunk CRCs, IHDR, and the stored deflate blocks.
    private func decodeStored(_ png: Data) throws -> (width: Int, height: Int, raw: [UInt8]) {
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
        let stream = chunks[1].1
        XCTAssertEqual((Int(stream[0]) << 8 | Int(stream[1])) % 31, 0, "zlib header check")
        var raw: [UInt8] = []
        var at = 2
        var final = false
        while !final {
            final = stream[at] & 1 == 1
            XCTAssertEqual(stream[at] >> 1, 0, "stored block")
            let length = Int(stream[at + 1]) | Int(stream[at + 2]) << 8
            let complement = Int(stream[at + 3]) | Int(stream[at + 4]) << 8
            XCTAssertEqual(length ^ 0xFFFF, complement)
            raw += stream[(at + 5)..<(at + 5 + length)]
            at += 5 + length
        }
        let adler = stream[at..<(at + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        XCTAssertEqual(adler, PNG.adler32(raw))
        return (Int(header[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }),
                Int(header[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }), raw)
    }

    func testSmallImageRoundTrips() throws {
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]
        let decoded = try decodeStored(PNG.encode(width: 2, height: 2, rgb: rgb))
        XCTAssertEqual(decoded.width, 2)
        XCTAssertEqual(decoded.height, 2)
        XCTAssertEqual(decoded.raw, [0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9])
    }

    func testLargeImageSpansSeveralStoredBlocks() throws {
        let (width, height) = (300, 100)  // 90 100 raw bytes > one 65 535-byte block
        let rgb = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let decoded = try decodeStored(PNG.encode(width: width, height: height, rgb: rgb))
        XCTAssertEqual(decoded.raw.count, height * (width * 3 + 1))
        XCTAssertEqual(Array(decoded.raw[(width * 3 + 2)..<(width * 3 + 5)]), Array(rgb[(width * 3)..<(width * 3 + 3)]))
        XCTAssertThrowsMessage(try PNG.encode(width: 2, height: 2, rgb: [0]), contains: ["2 × 2", "12 RGB bytes"])
    }
}
