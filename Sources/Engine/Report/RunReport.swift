import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// The HTML page of a run folder: one self-contained file with headings for parameters, metrics,
/// plots (as linked SVG images), training history and other files.
struct RunReport {
    let title: String
    let started: Date
    let parameters: JSONValue?
    let metrics: JSONValue?
    let record: JSONValue?
    let history: String
    let plots: [(file: String, title: String)]
    var tables: [ReportTable] = []
    let files: [String]
    /// Captions of audio files by path; audio files without one are captioned by their path.
    var captions: [String: String] = [:]

    func html() -> String {
        var body = ["<h1>\(escapeXML(title))</h1>",
                    "<p class=\"meta\">started \(escapeXML(ISO8601DateFormatter().string(from: started)))</p>"]
        if let parameters { body += ["<h2>Parameters</h2>", render(parameters)] }
        if let metrics { body += ["<h2>Metrics</h2>", render(metrics)] }
        body += tables.map(\.html)
        if !plots.isEmpty {
            body.append("<h2>Plots</h2>")
            body += plots.map {
                "<figure><img src=\"\(escapeXML($0.file))\" alt=\"\(escapeXML($0.title))\"><figcaption>\(escapeXML($0.title))</figcaption></figure>"
            }
        }
        if !history.isEmpty { body += ["<h2>History</h2>", historyTable(), "<p><a href=\"history.csv\">history.csv</a></p>"] }
        if let record = record?.objectValue { body += ["<h2>Run</h2>", render(.object(runSummary(record)))] }
        // Every sound file the run wrote gets a player (browsers play WAV, FLAC, OGG and MP3).
        let audio = files.filter { ["wav", "flac", "ogg", "mp3"].contains(($0 as NSString).pathExtension.lowercased()) }
        if !audio.isEmpty {
            body.append("<h2>Audio</h2>")
            body += audio.map {
                "<figure><audio controls preload=\"none\" src=\"\(escapeXML($0))\"></audio>"
                    + "<figcaption>\(escapeXML(captions[$0] ?? $0))</figcaption></figure>"
            }
        }
        let others = files.filter { !audio.contains($0) }
        if !others.isEmpty {
            body += ["<h2>Files</h2>", "<ul>" + others.map { "<li><a href=\"\(escapeXML($0))\">\(escapeXML($0))</a></li>" }.joined() + "</ul>"]
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escapeXML(title))</title>
        <style>
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; padding: 0 1em; }
        h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
        .meta { color: #777; margin-top: 0; }
        table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
        th, td { border: 1px solid #ddd; padding: 0.25em 0.7em; text-align: left; vertical-align: top; }
        th { background: #f4f6f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
        figcaption { color: #555; font-size: 0.9em; }
        </style></head>
        <body>
        \(body.joined(separator: "\n"))
        </body></html>

        """
    }

    /// Objects as key/value tables, arrays of like objects as tables, scalars as text.
    private func render(_ value: JSONValue) -> String {
        switch value {
        case .object(let members):
            let rows = members.keys.sorted().map { key in
                "<tr><th>\(escapeXML(key))</th>\(cell(members[key] ?? .null))</tr>"
            }
            return "<table>" + rows.joined() + "</table>"
        case .array(let items):
            let objects = items.compactMap(\.objectValue)
            if !objects.isEmpty, objects.count == items.count {
                var keys: [String] = []
                for object in objects { for key in object.keys.sorted() where !keys.contains(key) { keys.append(key) } }
                let header = "<tr>" + keys.map { "<th>\(escapeXML($0))</th>" }.joined() + "</tr>"
                let rows = objects.map { object in "<tr>" + keys.map { cell(object[$0] ?? .null) }.joined() + "</tr>" }
                return "<table>" + header + rows.joined() + "</table>"
            }
            if items.allSatisfy({ $0.arrayValue != nil }) {
                let rows = items.map { row in "<tr>" + (row.arrayValue ?? []).map(cell).joined() + "</tr>" }
                return "<table>" + rows.joined() + "</table>"
            }
            return escapeXML(items.map(scalarText).joined(separator: ", "))
        default:
            return escapeXML(scalarText(value))
        }
    }

    /// `run.json` as shown: the command as one line, empty entries left out, the rest as recorded.
    private func runSummary(_ record: [String: JSONValue]) -> [String: JSONValue] {
        var summary = record.filter { _, value in
            value != .null && value.arrayValue?.isEmpty != true && value.objectValue?.isEmpty != true
        }
        if let words = record["command"]?.arrayValue?.compactMap(\.stringValue) {
            summary["command"] = .string(words.joined(separator: " "))
        }
        return summary
    }

    private func cell(_ value: JSONValue) -> String {
        if case .number = value { return "<td class=\"num\">\(escapeXML(scalarText(value)))</td>" }
        return "<td>\(render(value))</td>"
    }

    private func scalarText(_ value: JSONValue) -> String {
        switch value {
        case .number(let number):
            return number == number.rounded() && abs(number) < 1e15 ? JSONValue.format(number) : String(format: "%.4g", number)
        case .string(let text): return text
        default: return value.encoded()
        }
    }

    private func historyTable() -> String {
        let lines = history.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return "" }
        var rows = Array(lines.dropFirst())
        // Long runs: show the first and last epochs, the CSV has them all.
        if rows.count > 40 { rows = Array(rows.prefix(10)) + [header.map { _ in "…" }] + Array(rows.suffix(25)) }
        let head = "<tr>" + header.map { "<th>\(escapeXML($0))</th>" }.joined() + "</tr>"
        let body = rows.map { row in
            "<tr>" + row.map { "<td class=\"num\">\(escapeXML(Double($0).map { String(format: "%.4g", $0) } ?? $0))</td>" }.joined() + "</tr>"
        }
        return "<table>" + head + body.joined() + "</table>"
    }
}
