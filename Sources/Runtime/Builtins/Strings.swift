import Foundation

extension BuiltinRegistry {
    /// Methods on strings.
    func registerStrings() {
        domain = "Strings"
        func text(_ a: Arguments) throws -> String {
            guard case .string(let text) = a.receiver else { throw BuiltinError("\(a.builtin.qualifiedName) needs a string") }
            return text
        }
        method("str", "upper", [], doc: "The string in upper case.") { a in .string(try text(a).uppercased()) }
        method("str", "lower", [], doc: "The string in lower case.") { a in .string(try text(a).lowercased()) }
        method("str", "strip", [], doc: "The string without leading and trailing whitespace.") { a in .string(try text(a).trimmingWhitespace()) }
        method("str", "split", [Parameter("sep", nil)],
               doc: "The parts between occurrences of `sep`; without `sep`, the words between runs of whitespace.") { a in
            let whole = try text(a)
            if a.isNil("sep") { return .list(ListBox(whole.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })) }
            let separator = try a.string("sep")
            guard !separator.isEmpty else { throw BuiltinError("str.split: empty separator") }
            return .list(ListBox(whole.components(separatedBy: separator).map { .string($0) }))
        }
        method("str", "join", [Parameter("items")], doc: "The elements of `items` (as text) with this string between them: `\", \".join(names)`.") { a in
            .string(try a.sequence("items").map(\.text).joined(separator: try text(a)))
        }
        method("str", "replace", [Parameter("old"), Parameter("new")], doc: "The string with every `old` replaced by `new`.") { a in
            let old = try a.string("old")
            guard !old.isEmpty else { throw BuiltinError("str.replace: empty 'old'") }
            return .string(try text(a).replacingOccurrences(of: old, with: try a.string("new")))
        }
        method("str", "startswith", [Parameter("prefix")], doc: "True if the string begins with `prefix`.") { a in
            .bool(try text(a).hasPrefix(try a.string("prefix")))
        }
        method("str", "endswith", [Parameter("suffix")], doc: "True if the string ends with `suffix`.") { a in
            .bool(try text(a).hasSuffix(try a.string("suffix")))
        }
        method("str", "find", [Parameter("part")], doc: "Character position of the first `part` in the string, or -1.") { a in
            let whole = try text(a)
            guard let range = whole.range(of: try a.string("part")) else { return .int(-1) }
            return .int(whole.distance(from: whole.startIndex, to: range.lowerBound))
        }
    }
}
