import Foundation

/// A JSON value with a deterministic encoding (sorted keys, shortest round-trip numbers), used for
/// run parameters, metrics, checkpoint metadata and feature-cache keys.
public enum JSONValue: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The text of this value: compact, or indented by two spaces per level when `pretty`.
    /// Non-finite numbers, which JSON cannot hold, are written as null.
    public func encoded(pretty: Bool = false) -> String {
        var text = ""
        write(into: &text, indent: pretty ? 0 : nil)
        return text
    }

    /// Parses JSON text (as written by `encoded`, or any standard JSON). Numbers read back exactly:
    /// JSONDecoder parses doubles correctly rounded, where JSONSerialization on Linux loses the last digit.
    public static func parse(_ text: String) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        } catch {
            throw DataError("not valid JSON: \(text.prefix(80))")
        }
    }

    /// The string, when this is one.
    public var stringValue: String? { if case .string(let text) = self { return text } else { return nil } }
    /// The number, when this is one.
    public var numberValue: Double? { if case .number(let number) = self { return number } else { return nil } }
    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let items) = self { return items } else { return nil } }
    /// The members, when this is an object.
    public var objectValue: [String: JSONValue]? { if case .object(let members) = self { return members } else { return nil } }

    private func write(into text: inout String, indent: Int?) {
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .number(let number): text += Self.format(number)
        case .string(let string): text += Self.quote(string)
        case .array(let items):
            writeContainer(into: &text, indent: indent, open: "[", close: "]", count: items.count) { index, text, inner in
                items[index].write(into: &text, indent: inner)
            }
        case .object(let members):
            let keys = members.keys.sorted()
            writeContainer(into: &text, indent: indent, open: "{", close: "}", count: keys.count) { index, text, inner in
                text += Self.quote(keys[index]) + (inner == nil ? ":" : ": ")
                members[keys[index]]?.write(into: &text, indent: inner)
            }
        }
    }

    private func writeContainer(into text: inout String, indent: Int?, open: String, close: String, count: Int,
                                element: (Int, inout String, Int?) -> Void) {
        text += open
        guard count > 0 else { text += close; return }
        let inner = indent.map { $0 + 2 }
        for index in 0..<count {
            if index > 0 { text += "," }
            if let inner { text += "\n" + String(repeating: " ", count: inner) }
            element(index, &text, inner)
        }
        if let indent { text += "\n" + String(repeating: " ", count: indent) }
        text += close
    }

    package static func format(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return "\(number)"
    }

    package static func quote(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension JSONValue: Decodable {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        // Bool first: JSONDecoder refuses to read a number as a Bool, so `true` never becomes 1.
        if let flag = try? container.decode(Bool.self) { self = .bool(flag); return }
        if let number = try? container.decode(Double.self) { self = .number(number); return }
        if let text = try? container.decode(String.self) { self = .string(text); return }
        if let items = try? container.decode([JSONValue].self) { self = .array(items); return }
        self = .object(try container.decode([String: JSONValue].self))
    }
}
