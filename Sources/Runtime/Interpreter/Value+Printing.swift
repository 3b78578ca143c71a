import Foundation

extension Value {
    /// What `print` and `str()` show: strings without quotes, Engine objects in full.
    public var text: String {
        switch self {
        case .string(let text): return text
        case .object(let object): return object.details
        default: return repr
        }
    }

    /// How the value reads inside a list or in the REPL: strings quoted, objects on one line.
    public var repr: String { repr(depth: 0) }

    /// Containers nested deeper than this print as `…` (a list may even contain itself).
    static let maxPrintDepth = 64

    func repr(depth: Int) -> String {
        if depth > Value.maxPrintDepth, elements != nil || { if case .dict = self { return true } else { return false } }() {
            return "…"
        }
        switch self {
        case .undefined, .null: return "nil"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .float(let number): return Value.format(float: number)
        case .string(let text): return Value.quote(text)
        case .list(let box): return "[" + Value.join(box.items, depth) + "]"
        case .tuple(let items): return "(" + Value.join(items, depth) + (items.count == 1 ? ",)" : ")")
        case .dict(let box):
            return "{" + box.pairs.map { "\($0.key.value.repr): \($0.value.repr(depth: depth + 1))" }.joined(separator: ", ") + "}"
        case .function(let closure): return "<fn \(closure.name)>"
        case .builtin(let builtin): return "<builtin \(builtin.qualifiedName)>"
        case .method(let bound): return "<method \(bound.member.qualifiedName)>"
        case .object(let object): return object.summary
        }
    }

    /// What the REPL prints for an expression result: the rich form for objects, `repr` otherwise.
    public var display: String {
        if case .object(let object) = self { return object.details }
        return repr
    }

    static let shownItems = 1000

    private static func join(_ items: [Value], _ depth: Int) -> String {
        let shown = items.prefix(shownItems).map { $0.repr(depth: depth + 1) }.joined(separator: ", ")
        return items.count > shownItems ? shown + ", … (\(items.count) items)" : shown
    }

    /// Python's float formatting: shortest round-trip digits, always with a `.` or exponent.
    static func format(float number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return number.description
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Applies a format spec from `{value:spec}`: `[<|>][width][,][.precision][f|e|%|d]`,
    /// e.g. `.3f`, `8.2e`, `.1%`, `,d`, `>10`.
    static func format(_ value: Value, spec: String) throws -> String {
        var rest = Substring(spec)
        var align: Character = value.asDouble != nil ? ">" : "<"
        if let first = rest.first, first == "<" || first == ">" { align = first; rest.removeFirst() }
        let widthDigits = rest.prefix { $0.isASCII && $0.isNumber }
        rest.removeFirst(widthDigits.count)
        let width = Int(widthDigits) ?? 0
        guard widthDigits.count <= 4 else { throw BuiltinError("format width in '\(spec)' is too large") }
        var grouping = false
        if rest.first == "," { grouping = true; rest.removeFirst() }
        var precision: Int?
        if rest.first == "." {
            rest.removeFirst()
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let number = Int(digits), number <= 50 else { throw BuiltinError("bad precision in format '\(spec)'") }
            precision = number
            rest.removeFirst(digits.count)
        }
        let kind = rest.first
        guard rest.count <= 1, kind == nil || "fe%d".contains(kind ?? " ") else {
            throw BuiltinError("unknown format '\(spec)'; use e.g. '.3f', '.2e', '.1%', ',d' or a width like '>8'")
        }
        var body: String
        if kind != nil || precision != nil || grouping {
            guard let number = value.asDouble else {
                throw BuiltinError("format '\(spec)' needs a number, got \(value.typeName)")
            }
            switch kind {
            case "e": body = String(format: "%.\(precision ?? 6)e", number)
            case "%": body = String(format: "%.\(precision ?? 6)f", number * 100) + "%"
            case "d":
                guard case .int(let integer) = value else { throw BuiltinError("format 'd' needs an int, got \(value.typeName)") }
                body = String(integer)
            default:
                if case .int(let integer) = value, precision == nil { body = String(integer) } else {
                    body = String(format: "%.\(precision ?? 6)f", number)
                }
            }
            if grouping { body = Value.groupThousands(body) }
        } else {
            body = value.text
        }
        let padding = String(repeating: " ", count: max(0, width - body.count))
        return align == "<" ? body + padding : padding + body
    }

    private static func groupThousands(_ number: String) -> String {
        let negative = number.hasPrefix("-")
        let unsigned = negative ? String(number.dropFirst()) : number
        let integerPart = unsigned.prefix { $0.isNumber }
        let tail = unsigned.dropFirst(integerPart.count)
        var grouped = ""
        for (offset, digit) in integerPart.enumerated() {
            if offset > 0 && (integerPart.count - offset) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (negative ? "-" : "") + grouped + tail
    }
}
