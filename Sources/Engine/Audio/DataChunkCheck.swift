import Foundation

/// libsndfile quietly shortens a WAV or AIFF whose data chunk runs past the end of the file, so a
/// truncated download would load as a shorter clip. This reads the chunk headers and reports it.
enum DataChunkCheck {
    /// A description of the truncation when the file's audio data chunk claims more bytes than the
    /// file holds; nil when the data is complete or the container is not RIFF/WAVE or AIFF.
    static func truncation(path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), (try? handle.seek(toOffset: 0)) != nil,
              let head = try? handle.read(upToCount: 12), head.count == 12 else { return nil }
        let bytes = [UInt8](head)
        let form = String(decoding: bytes[0..<4], as: UTF8.self)
        let kind = String(decoding: bytes[8..<12], as: UTF8.self)
        let fileSize = Int(end)
        switch (form, kind) {
        case ("RIFF", "WAVE"): return scan(handle, fileSize: fileSize, dataID: "data", bigEndian: false)
        case ("FORM", "AIFF"), ("FORM", "AIFC"): return scan(handle, fileSize: fileSize, dataID: "SSND", bigEndian: true)
        default: return nil
        }
    }

    /// How a data chunk that runs past the end of the file is reported.
    static func truncationMessage(chunk: String, declared: Int, available: Int) -> String {
        "truncated: the '\(chunk)' chunk declares \(declared) bytes of audio but the file holds only \(available)"
    }

    /// Walks the chunk headers from byte 12, seeking over each chunk's body.
    private static func scan(_ handle: FileHandle, fileSize: Int, dataID: String, bigEndian: Bool) -> String? {
        var offset = 12
        while offset + 8 <= fileSize {
            guard (try? handle.seek(toOffset: UInt64(offset))) != nil,
                  let header = try? handle.read(upToCount: 8), header.count == 8 else { return nil }
            let bytes = [UInt8](header)
            let id = String(decoding: bytes[0..<4], as: UTF8.self)
            let raw = bytes[4..<8].reduce(0) { ($0 << 8) | Int($1) }
            let size = bigEndian ? raw : Int(UInt32(raw).byteSwapped)
            if id == dataID {
                // 0 and 0xFFFFFFFF are the placeholders of streamed (unfinalised) files: no claim to check.
                guard size != 0, size != 0xFFFF_FFFF else { return nil }
                let available = fileSize - (offset + 8)
                guard size > available else { return nil }
                return truncationMessage(chunk: id, declared: size, available: available)
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }
}
