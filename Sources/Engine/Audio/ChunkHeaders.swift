
/// One chunk of a RIFF/WAVE or IFF/AIFF file: its four-letter id, the body size it declares and
/// the byte offset where its body starts.
struct ChunkHeader {
    package let id: String
    package let size: Int
    package let body: Int

    /// 0 and 0xFFFFFFFF are the sizes streamed (unfinalised) files leave: only the file size tells.
    var isStreamedPlaceholder: Bool { size == 0 || size == 0xFFFF_FFFF }
}

/// The chunk headers after a RIFF or IFF file's 12-byte form header, in file order. `read(offset)`
/// supplies the 8 header bytes at `offset` (nil ends the walk), so the same walk serves a file
/// read through seeks and a header already in memory. Bodies are skipped with their pad byte.
struct ChunkHeaders: Sequence, IteratorProtocol {
    /// Bytes available: walking stops where a header would not fit.
    package let end: Int
    /// Sizes are big-endian in IFF/AIFF, little-endian in RIFF.
    let bigEndian: Bool
    package let read: (Int) -> [UInt8]?
    private var offset = 12

    init(end: Int, bigEndian: Bool, read: @escaping (Int) -> [UInt8]?) {
        self.end = end
        self.bigEndian = bigEndian
        self.read = read
    }

    package mutating func next() -> ChunkHeader? {
        guard offset + 8 <= end, let bytes = read(offset), bytes.count == 8 else { return nil }
        let raw = bytes[4..<8].reduce(0) { ($0 << 8) | Int($1) }
        let size = bigEndian ? raw : Int(UInt32(raw).byteSwapped)
        let header = ChunkHeader(id: String(decoding: bytes[0..<4], as: UTF8.self), size: size, body: offset + 8)
        offset = header.body + size + (size & 1)
        return header
    }
}
