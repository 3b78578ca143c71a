/// One script's text, kept so diagnostics can quote the offending line.
public final class SourceFile: @unchecked Sendable {
    /// The name shown in diagnostics: the path as the user gave it, or `<repl>`, `<-e>`, `<stdin>`.
    public let name: String
    /// The whole text.
    public let text: String
    private lazy var lines: [Substring] = text.split(separator: "\n", omittingEmptySubsequences: false)

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// The text of 1-based line `number`, without its newline; empty when out of range.
    public func line(_ number: Int) -> String {
        guard number >= 1, number <= lines.count else { return "" }
        return String(lines[number - 1]).replacingOccurrences(of: "\r", with: "")
    }
}

/// A position in a script: file, 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: CustomStringConvertible {
    public let file: SourceFile
    public let line: Int
    public let column: Int

    public init(file: SourceFile, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the form editors jump to.
    public var description: String { "\(file.name):\(line):\(column)" }
}
