import CZlib
import Foundation

/// A PNG encoder for 8-bit RGB images: each scanline gets the filter that makes it smallest by the
/// usual minimum-sum-of-absolute-differences guess, and zlib compresses the filtered rows.
public enum PNG {
    /// Encodes `rgb` (row-major, 3 bytes per pixel, top row first) as a PNG file.
    public static func encode(width: Int, height: Int, rgb: [UInt8]) throws -> Data {
        guard width > 0, height > 0, rgb.count == width * height * 3 else {
            throw ReportError("PNG of \(width) × \(height) pixels needs \(max(0, width * height * 3)) RGB bytes, got \(rgb.count)")
        }
        var file = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var header = [UInt8]()
        header += bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header, to: &file)
        appendChunk("IDAT", try deflate(filtered(width: width, height: height, rgb: rgb)), to: &file)
        appendChunk("IEND", [], to: &file)
        return file
    }

    /// The scanlines, each prefixed by its filter type (0 none, 1 sub, 2 up, 3 average, 4 Paeth).
    static func filtered(width: Int, height: Int, rgb: [UInt8]) -> [UInt8] {
        let stride = width * 3
        var out = [UInt8]()
        out.reserveCapacity(height * (stride + 1))
        let zeros = [UInt8](repeating: 0, count: stride)
        var candidate = [UInt8](repeating: 0, count: stride)
        var best = [UInt8](repeating: 0, count: stride)
        for row in 0..<height {
            let line = Array(rgb[(row * stride)..<((row + 1) * stride)])
            let above = row == 0 ? zeros : Array(rgb[((row - 1) * stride)..<(row * stride)])
            var bestType: UInt8 = 0
            var bestCost = Int.max
            for type: UInt8 in 0...4 {
                for i in 0..<stride {
                    let left = i >= 3 ? Int(line[i - 3]) : 0
                    let up = Int(above[i])
                    let upLeft = i >= 3 ? Int(above[i - 3]) : 0
                    let predicted: Int
                    switch type {
                    case 0: predicted = 0
                    case 1: predicted = left
                    case 2: predicted = up
                    case 3: predicted = (left + up) / 2
                    default: predicted = paeth(left, up, upLeft)
                    }
                    candidate[i] = UInt8(truncatingIfNeeded: Int(line[i]) - predicted)
                }
                // Bytes read as signed: small residues either side of zero compress best.
                let cost = candidate.reduce(0) { $0 + abs(Int(Int8(bitPattern: $1))) }
                if cost < bestCost {
                    (bestCost, bestType) = (cost, type)
                    swap(&best, &candidate)
                }
            }
            out.append(bestType)
            out += best
        }
        return out
    }

    /// The Paeth predictor of the PNG specification: whichever neighbour is closest to left + up - upLeft.
    static func paeth(_ left: Int, _ up: Int, _ upLeft: Int) -> Int {
        let estimate = left + up - upLeft
        let (toLeft, toUp, toUpLeft) = (abs(estimate - left), abs(estimate - up), abs(estimate - upLeft))
        if toLeft <= toUp && toLeft <= toUpLeft { return left }
        return toUp <= toUpLeft ? up : upLeft
    }

    /// A zlib stream of `bytes` at zlib's best compression.
    static func deflate(_ bytes: [UInt8]) throws -> [UInt8] {
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = compress2(&out, &size, bytes, uLong(bytes.count), Z_BEST_COMPRESSION)
        guard status == Z_OK else { throw ReportError("PNG: zlib compress2 failed (status \(status))") }
        return Array(out[0..<Int(size)])
    }

    static func appendChunk(_ type: String, _ payload: [UInt8], to file: inout Data) {
        let typeBytes = Array(type.utf8)
        file.append(contentsOf: bigEndian(UInt32(payload.count)))
        file.append(contentsOf: typeBytes)
        file.append(contentsOf: payload)
        file.append(contentsOf: bigEndian(crc32(typeBytes + payload)))
    }

    /// CRC-32 (ISO 3309) as PNG chunks use it, by zlib.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        UInt32(CZlib.crc32(0, bytes, uInt(bytes.count)))
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
