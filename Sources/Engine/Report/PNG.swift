import Foundation

/// A minimal PNG encoder for 8-bit RGB images: the zlib stream uses stored (uncompressed) deflate
/// blocks, so no compression library is needed; chunks carry CRC-32 and the stream Adler-32.
public enum PNG {
    /// Encodes `rgb` (row-major, 3 bytes per pixel, top row first) as a PNG file.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) throws -> Data {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw ReportError("PNG of \(width) × \(height) pixels needs \(max(0, width * height * 3)) RGB bytes, got \(rgb.count)")
        }
        // Each scanline is prefixed by filter type 0 (none).
        var raw = [UInt8]()
        raw.reserveCapacity(height * (width * 3 + 1))
        for row in 0..<height {
            raw.append(0)
            raw.append(contentsOf: rgb[(row * width * 3)..<((row + 1) * width * 3)])
        }
        var file = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = [UInt8]()
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", zlibStored(raw), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// A zlib stream holding `bytes` in stored deflate blocks of at most 65 535 bytes.
    static func zlibStored(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]  // deflate, 32 K window; header check bits make 0x7801 % 31 == 0
        var offset = 0
        repeat {
            let length = min(65_535, bytes.count - offset)
            let final: UInt8 = offset + length == bytes.count ? 1 : 0
            out.append(final)  // BTYPE 00 = stored
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += bytes[offset..<(offset + length)]
            offset += length
        } while offset < bytes.count
        out += bigEndian(adler32(bytes))
        return out
    }

    static func appendChunk(_ type: String, _ payload: [UInt8], to file: inout Data) {
        let typeBytes = Array(type.utf8)
        file.append(contentsOf: bigEndian(UInt32(payload.count)))
        file.append(contentsOf: typeBytes)
        file.append(contentsOf: payload)
        file.append(contentsOf: bigEndian(crc32(typeBytes + payload)))
    }

    /// CRC-32 (ISO 3309, polynomial 0xEDB88320) as PNG chunks use it.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// Adler-32 checksum of the uncompressed data, as zlib streams end with it.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var index = 0
        while index < bytes.count {
            // 5552 bytes is the longest run before b can overflow 32 bits.
            let end = min(index + 5552, bytes.count)
            for byte in bytes[index..<end] {
                a += UInt32(byte)
                b += a
            }
            a %= 65_521
            b %= 65_521
            index = end
        }
        return b << 16 | a
    }

    private static let crcTable: [UInt32] = (0..<256).map { seed -> UInt32 in
        var value = UInt32(seed)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
