import CZlib
import Foundation

/// A file inside a zip archive that could not be read; names the archive and the fault.
public struct ZipArchiveError: Error, CustomStringConvertible, Equatable {
    /// The archive at fault.
    public var path: String
    /// What is wrong with it.
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// A read-only zip archive held in memory: the central directory's entries by name, with their data
/// (stored entries as they are, deflated ones inflated by zlib). Every offset and size is checked
/// against the file before it is used, so a truncated or hostile archive gives an error, never a trap.
///
/// PyTorch's `torch.save` writes such an archive (uncompressed, ZIP64 records when large).
public struct ZipArchive {
    /// Where an entry's bytes are and how they are stored.
    struct Entry {
        var method: UInt16
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    /// The archive's path, for error messages.
    public let path: String
    private let data: Data
    private let entries: [String: Entry]
    /// Entry names in central-directory order.
    public let names: [String]

    /// Whether `data` starts like a zip archive (a local file header).
    public static func looksLikeZip(_ data: Data) -> Bool {
        data.count >= 4 && data.prefix(4).elementsEqual([0x50, 0x4B, 0x03, 0x04])
    }

    /// Reads the central directory of the archive in `data` (read from `path`).
    public init(data: Data, path: String) throws {
        self.path = path
        self.data = data
        let reader = ByteReader(data: data)
        func fail(_ reason: String) -> ZipArchiveError { ZipArchiveError(path: path, reason: reason) }
        // The end-of-central-directory record is within the last 64 KiB + 22 bytes (its comment).
        guard data.count >= 22 else { throw fail("too short to be a zip archive (\(data.count) bytes)") }
        let searchStart = max(0, data.count - 22 - 0xFFFF)
        guard let end = stride(from: data.count - 22, through: searchStart, by: -1)
            .first(where: { reader.u32($0) == 0x0605_4B50 }) else {
            throw fail("no zip end-of-central-directory record (not a zip archive, or truncated)")
        }
        var count = Int(reader.u16(end + 10) ?? 0)
        var directorySize = Int(reader.u32(end + 12) ?? 0)
        var directoryOffset = Int(reader.u32(end + 16) ?? 0)
        // ZIP64: a locator just before the record points at the 64-bit end record.
        if end >= 20, reader.u32(end - 20) == 0x0706_4B50 {
            guard let recordOffset = reader.u64(end - 12), recordOffset < UInt64(data.count),
                  reader.u32(Int(recordOffset)) == 0x0606_4B50,
                  let count64 = reader.u64(Int(recordOffset) + 32), let size64 = reader.u64(Int(recordOffset) + 40),
                  let offset64 = reader.u64(Int(recordOffset) + 48),
                  count64 <= UInt64(data.count), size64 <= UInt64(data.count), offset64 <= UInt64(data.count) else {
                throw fail("ZIP64 end-of-central-directory record is missing or out of the file's bounds")
            }
            (count, directorySize, directoryOffset) = (Int(count64), Int(size64), Int(offset64))
        }
        guard directoryOffset <= data.count, directorySize <= data.count - directoryOffset else {
            throw fail("central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the file")
        }
        var entries: [String: Entry] = [:]
        var names: [String] = []
        var position = directoryOffset
        for index in 0..<count {
            guard reader.u32(position) == 0x0201_4B50, let method = reader.u16(position + 10),
                  let compressed32 = reader.u32(position + 20), let size32 = reader.u32(position + 24),
                  let nameLength = reader.u16(position + 28), let extraLength = reader.u16(position + 30),
                  let commentLength = reader.u16(position + 32), let offset32 = reader.u32(position + 42),
                  let nameBytes = reader.bytes(position + 46, Int(nameLength)),
                  let extra = reader.bytes(position + 46 + Int(nameLength), Int(extraLength)) else {
                throw fail("central directory entry \(index) is truncated or malformed")
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            var (compressed, size, offset) = (UInt64(compressed32), UInt64(size32), UInt64(offset32))
            // 0xFFFFFFFF fields are in the ZIP64 extra field (id 1), in this order.
            var fields = Self.zip64Fields(extra)
            if size32 == 0xFFFF_FFFF { guard !fields.isEmpty else { throw fail("entry '\(name)' lacks its ZIP64 size") }; size = fields.removeFirst() }
            if compressed32 == 0xFFFF_FFFF { guard !fields.isEmpty else { throw fail("entry '\(name)' lacks its ZIP64 compressed size") }; compressed = fields.removeFirst() }
            if offset32 == 0xFFFF_FFFF { guard !fields.isEmpty else { throw fail("entry '\(name)' lacks its ZIP64 offset") }; offset = fields.removeFirst() }
            // Deflate expands at most 1032:1, so a larger claimed size is a lie (and a memory bomb).
            guard compressed <= UInt64(data.count), size <= compressed * 1032 + 64, offset < UInt64(data.count) else {
                throw fail("entry '\(name)' claims sizes or an offset beyond the file's \(data.count) bytes")
            }
            guard method == 0 || method == 8 else {
                throw fail("entry '\(name)' uses compression method \(method); only stored (0) and deflate (8) are read")
            }
            entries[name] = Entry(method: method, compressedSize: Int(compressed), size: Int(size), localHeaderOffset: Int(offset))
            names.append(name)
            position += 46 + Int(nameLength) + Int(extraLength) + Int(commentLength)
        }
        self.entries = entries
        self.names = names
    }

    /// The bytes of entry `name`; nil when the archive has no such entry.
    public func contents(of name: String) throws -> Data? {
        guard let entry = entries[name] else { return nil }
        let reader = ByteReader(data: data)
        let at = entry.localHeaderOffset
        guard reader.u32(at) == 0x0403_4B50, let nameLength = reader.u16(at + 26), let extraLength = reader.u16(at + 28) else {
            throw ZipArchiveError(path: path, reason: "entry '\(name)' has no local file header at offset \(at)")
        }
        let start = at + 30 + Int(nameLength) + Int(extraLength)
        guard start <= data.count, entry.compressedSize <= data.count - start else {
            throw ZipArchiveError(path: path, reason: "entry '\(name)' (\(entry.compressedSize) bytes at \(start)) runs past the end of the file")
        }
        let raw = data.subdata(in: (data.startIndex + start)..<(data.startIndex + start + entry.compressedSize))
        guard entry.method == 8 else {
            guard raw.count == entry.size else {
                throw ZipArchiveError(path: path, reason: "stored entry '\(name)' has \(raw.count) bytes but claims \(entry.size)")
            }
            return raw
        }
        return try inflate(raw, expected: entry.size, name: name)
    }

    /// Raw-deflate decompression of one entry to exactly `expected` bytes.
    private func inflate(_ raw: Data, expected: Int, name: String) throws -> Data {
        var output = Data(count: expected)
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipArchiveError(path: path, reason: "zlib could not start inflating entry '\(name)'")
        }
        defer { inflateEnd(&stream) }
        var input = [UInt8](raw)
        let status = input.withUnsafeMutableBufferPointer { source -> Int32 in
            output.withUnsafeMutableBytes { target -> Int32 in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(target.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expected else {
            throw ZipArchiveError(path: path, reason: "deflated entry '\(name)' is corrupt or does not inflate to its \(expected) bytes")
        }
        return output
    }

    /// The 64-bit values of the ZIP64 extended-information extra field (id 0x0001), in order.
    private static func zip64Fields(_ extra: [UInt8]) -> [UInt64] {
        let reader = ByteReader(data: Data(extra))
        var position = 0
        while let id = reader.u16(position), let length = reader.u16(position + 2) {
            if id == 1 {
                return stride(from: 0, to: Int(length) - 7, by: 8).compactMap { reader.u64(position + 4 + $0) }
            }
            position += 4 + Int(length)
        }
        return []
    }
}

/// Bounds-checked little-endian reads from a byte buffer: out-of-range reads give nil.
struct ByteReader {
    let data: Data

    func bytes(_ offset: Int, _ count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0, offset <= data.count, count <= data.count - offset else { return nil }
        return [UInt8](data[(data.startIndex + offset)..<(data.startIndex + offset + count)])
    }

    private func little(_ offset: Int, _ width: Int) -> UInt64? {
        guard let raw = bytes(offset, width) else { return nil }
        return raw.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    func u16(_ offset: Int) -> UInt16? { little(offset, 2).map { UInt16($0) } }
    func u32(_ offset: Int) -> UInt32? { little(offset, 4).map { UInt32($0) } }
    func u64(_ offset: Int) -> UInt64? { little(offset, 8) }
}
