import Foundation
import EngineFormats
import EngineTensor

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
        let headers = ChunkHeaders(end: fileSize, bigEndian: bigEndian) { offset in
            guard (try? handle.seek(toOffset: UInt64(offset))) != nil, let bytes = try? handle.read(upToCount: 8) else { return nil }
            return [UInt8](bytes)
        }
        guard let data = headers.first(where: { $0.id == dataID }), !data.isStreamedPlaceholder else { return nil }
        let available = fileSize - data.body
        guard data.size > available else { return nil }
        return truncationMessage(chunk: data.id, declared: data.size, available: available)
    }
}
