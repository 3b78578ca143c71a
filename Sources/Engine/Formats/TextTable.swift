/// A plain-text table with a header rule, for printing datasets, metrics and breakdowns.
public struct TextTable: Sendable, CustomStringConvertible {
    /// Column headings.
    public var header: [String]
    /// Cells, row by row; short rows are padded with blanks.
    public var rows: [[String]]
    /// Columns (by index) whose cells are right-aligned, as numbers are.
    public var rightAligned: Set<Int>

    /// Makes a table; `rightAligned` defaults to every column but the first.
    public init(header: [String], rows: [[String]], rightAligned: Set<Int>? = nil) {
        self.header = header
        self.rows = rows
        self.rightAligned = rightAligned ?? Set(1..<max(1, header.count))
    }

    /// The rendered table, lines joined by newlines, no trailing newline.
    public var description: String {
        let columns = max(header.count, rows.map(\.count).max() ?? 0)
        func cell(_ row: [String], _ column: Int) -> String { column < row.count ? row[column] : "" }
        let widths = (0..<columns).map { column in
            ([header] + rows).map { cell($0, column).count }.max() ?? 0
        }
        func line(_ row: [String]) -> String {
            (0..<columns).map { column -> String in
                let text = cell(row, column)
                let pad = String(repeating: " ", count: widths[column] - text.count)
                return rightAligned.contains(column) ? pad + text : text + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

/// Formats a fraction in [0, 1] as a percentage with one decimal ("83.3%").
package func percent(_ fraction: Double) -> String {
    fraction.isFinite ? String(format: "%.1f%%", fraction * 100) : "n/a"
}
