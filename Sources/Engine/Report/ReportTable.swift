import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// A titled table shown in a run's HTML report (e.g. cross-validation results), with an optional
/// note above it and links to the files that hold it.
public struct ReportTable: Sendable, Equatable {
    /// The section heading.
    public var title: String
    /// A sentence above the table (the protocol, how the summary is computed).
    public var note: String
    /// Column titles.
    public var header: [String]
    /// Cells, row by row.
    public var rows: [[String]]
    /// Run-folder files to link below the table (CSV, Markdown).
    public var files: [String]

    /// A report table.
    public init(title: String, note: String = "", header: [String], rows: [[String]], files: [String] = []) {
        self.title = title
        self.note = note
        self.header = header
        self.rows = rows
        self.files = files
    }

    /// The section as HTML: heading, note, table (numeric-looking cells right-aligned), links.
    var html: String {
        let head = "<tr>" + header.map { "<th>\(escapeXML($0))</th>" }.joined() + "</tr>"
        let body = rows.map { row in
            "<tr>" + row.map { cell in
                let numeric = cell.first.map { $0.isNumber || $0 == "-" } ?? false
                return "<td\(numeric ? " class=\"num\"" : "")>\(escapeXML(cell))</td>"
            }.joined() + "</tr>"
        }
        var parts = ["<h2>\(escapeXML(title))</h2>"]
        if !note.isEmpty { parts.append("<p>\(escapeXML(note))</p>") }
        parts.append("<table>" + head + body.joined() + "</table>")
        if !files.isEmpty {
            parts.append("<p>" + files.map { "<a href=\"\(escapeXML($0))\">\(escapeXML($0))</a>" }.joined(separator: " · ") + "</p>")
        }
        return parts.joined(separator: "\n")
    }
}
