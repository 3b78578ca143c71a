/// One active call, for the "in fn … called at …" lines under an error.
public struct CallRecord {
    /// The function's name (`<lambda>` for anonymous ones).
    public let name: String
    /// Where it was called from.
    public let site: SourceLocation
}

/// An error in a script — syntax, unknown name, wrong argument, or anything a builtin or the Engine
/// threw — with where it happened and the chain of calls that led there.
public struct ScriptError: Error, CustomStringConvertible {
    public enum Kind: Sendable { case syntax, name, runtime, interrupted }

    public let kind: Kind
    public let message: String
    public let location: SourceLocation?
    /// Innermost call last.
    public let callChain: [CallRecord]
    /// A syntax error caused only by the input ending early (an open block, bracket or string):
    /// the REPL reads another line instead of reporting it.
    public let incomplete: Bool

    public init(_ kind: Kind, _ message: String, at location: SourceLocation?,
                callChain: [CallRecord] = [], incomplete: Bool = false) {
        self.kind = kind
        self.message = message
        self.location = location
        self.callChain = callChain
        self.incomplete = incomplete
    }

    /// `file:line:col: error: message`, the source line, a caret under the column, then the calls.
    public var description: String {
        guard let location else { return "error: \(message)" }
        var text = "\(location): error: \(message)"
        let (source, column) = Self.excerpt(location.file.line(location.line), column: location.column)
        if !source.isEmpty {
            let gutter = String(location.line)
            let pad = String(repeating: " ", count: gutter.count)
            // Copy tabs from the source so the caret lines up however the terminal renders them.
            let lead = source.unicodeScalars.prefix(max(0, column - 1))
                .map { $0 == "\t" ? "\t" : " " }.joined()
            text += "\n \(gutter) | \(source)\n \(pad) | \(lead)^"
        }
        // Innermost first; a run of identical calls (deep recursion) is shown once with a count.
        var calls = callChain.reversed()[...]
        while let call = calls.first {
            let repeats = calls.prefix { $0.name == call.name && $0.site.description == call.site.description }.count
            text += "\n  in fn \(call.name) called at \(call.site)"
            if repeats > 1 { text += " (\(repeats) times)" }
            calls = calls.dropFirst(repeats)
        }
        return text
    }
}

extension ScriptError {
    /// Characters of a long line shown on each side of the error's column.
    static let excerptRadius = 60

    /// The line as shown under an error: whole when short, else the part around `column` with "…"
    /// where it was cut (a one-line 50 MB script must not be echoed); and the column within it.
    static func excerpt(_ line: String, column: Int) -> (text: String, column: Int) {
        let scalars = Array(line.unicodeScalars)
        guard scalars.count > 2 * excerptRadius + 20 else { return (line, column) }
        let start = max(0, min(column - 1, scalars.count) - excerptRadius)
        let end = min(scalars.count, max(column - 1, 0) + excerptRadius)
        var text = String(String.UnicodeScalarView(scalars[start..<end]))
        var shifted = column - start
        if start > 0 {
            text = "…" + text
            shifted += 1
        }
        if end < scalars.count { text += "…" }
        return (text, shifted)
    }
}

/// A complaint about a call's arguments or a value's type, raised where no location is known
/// (inside a builtin); the interpreter attaches the call's location.
public struct BuiltinError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
