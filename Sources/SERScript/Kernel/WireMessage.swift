import Engine
import Foundation

/// A Jupyter message (messaging protocol 5.3): routing identities, the four JSON parts and any
/// binary buffers. On the wire: identities, `<IDS|MSG>`, the HMAC signature, header, parent
/// header, metadata, content, buffers.
struct WireMessage {
    static let delimiter = Data("<IDS|MSG>".utf8)
    static let protocolVersion = "5.3"

    var identities: [Data] = []
    var header: [String: JSONValue]
    var parentHeader: [String: JSONValue]
    var metadata: [String: JSONValue] = [:]
    var content: [String: JSONValue]
    var buffers: [Data] = []
    /// The signature a received message carried (empty for messages made here).
    private(set) var signature = Data()

    var type: String { header["msg_type"]?.stringValue ?? "" }
    var id: String { header["msg_id"]?.stringValue ?? "" }

    /// Reads a message from its frames, checking the signature before parsing any JSON.
    init(frames: [Data], signer: MessageSigner) throws {
        guard let split = frames.firstIndex(of: WireMessage.delimiter) else {
            throw KernelProtocolError("no <IDS|MSG> delimiter among \(frames.count) frames")
        }
        let parts = Array(frames[(split + 1)...])
        guard parts.count >= 5 else {
            throw KernelProtocolError("\(parts.count) frames after <IDS|MSG>, expected at least 5 (signature, header, parent, metadata, content)")
        }
        guard signer.verify(parts[0], Array(parts[1...4])) else { throw KernelProtocolError("bad signature") }
        identities = Array(frames[..<split])
        signature = parts[0]
        header = try WireMessage.object(parts[1], "header")
        parentHeader = try WireMessage.object(parts[2], "parent header")
        metadata = try WireMessage.object(parts[3], "metadata")
        content = try WireMessage.object(parts[4], "content")
        buffers = Array(parts.dropFirst(5))
        guard header["msg_type"]?.stringValue?.isEmpty == false, header["msg_id"]?.stringValue != nil else {
            throw KernelProtocolError("the header has no msg_type or msg_id")
        }
    }

    /// A new message of `type`, replying to (or caused by) `parent` when given.
    init(type: String, content: [String: JSONValue], parent: WireMessage?, session: String) {
        header = [
            "msg_id": .string(UUID().uuidString.lowercased()), "msg_type": .string(type), "session": .string(session),
            "username": .string(ProcessInfo.processInfo.environment["USER"] ?? "serscript"),
            "date": .string(WireMessage.timestamp()), "version": .string(WireMessage.protocolVersion),
        ]
        parentHeader = parent?.header ?? [:]
        identities = parent?.identities ?? []
        self.content = content
    }

    /// The frames to send, signed.
    func frames(signer: MessageSigner) -> [Data] {
        let parts = [header, parentHeader, metadata, content].map { Data(JSONValue.object($0).encoded().utf8) }
        return identities + [WireMessage.delimiter, Data(signer.signature(parts).utf8)] + parts + buffers
    }

    private static func object(_ frame: Data, _ part: String) throws -> [String: JSONValue] {
        guard let text = String(data: frame, encoding: .utf8) else { throw KernelProtocolError("the \(part) is not UTF-8") }
        let value: JSONValue
        do { value = try JSONValue.parse(text) } catch {
            throw KernelProtocolError("the \(part) is not JSON: \(error)")
        }
        guard let members = value.objectValue else { throw KernelProtocolError("the \(part) is not a JSON object") }
        return members
    }

    /// ISO 8601 with microseconds, in UTC, as Jupyter writes dates.
    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// A string member, or `fallback` when missing or not a string.
    func string(_ key: String, _ fallback: String = "") -> String { self[key]?.stringValue ?? fallback }

    /// A boolean member, or `fallback`.
    func bool(_ key: String, _ fallback: Bool) -> Bool {
        if case .bool(let flag)? = self[key] { return flag }
        return fallback
    }

    /// An integer member, or `fallback`.
    func int(_ key: String, _ fallback: Int) -> Int {
        guard let number = self[key]?.numberValue, number.isFinite, abs(number) < 1e15 else { return fallback }
        return Int(number)
    }
}
