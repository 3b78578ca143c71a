import Engine
import Foundation
import Runtime

/// A value as a Jupyter MIME bundle: always `text/plain` (what the REPL prints); objects whose
/// printout holds tables (datasets, models, evaluation results with their confusion matrix,
/// breakdowns) also as `text/html`, and audio as an `<audio controls>` player.
enum RichDisplay {
    /// Audio longer than this gets no player (it would be embedded in the notebook).
    static let maximumPlayerSeconds = 600.0

    static func bundle(_ value: Value) -> JSONValue {
        var data: [String: JSONValue] = ["text/plain": .string(value.display)]
        guard case .object(let object) = value else { return .object(data) }
        if let audio = object as? AudioValue, let player = player(audio.signal) {
            data["text/html"] = .string(player + "<pre>\(escape(object.details))</pre>")
        } else if TextTableHTML.containsTable(object.details) {
            data["text/html"] = .string(TextTableHTML.render(object.details))
        }
        return .object(data)
    }

    /// An HTML5 player with the signal embedded as a 16-bit WAV (written by libsndfile).
    private static func player(_ signal: AudioSignal) -> String? {
        guard signal.duration <= maximumPlayerSeconds, !signal.samples.isEmpty else { return nil }
        let path = NSTemporaryDirectory() + "serscript-audio-\(UUID().uuidString).wav"
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard (try? SoundFile.write(path: path, samples: signal.samples, sampleRate: signal.sampleRate)) != nil,
              let wav = FileManager.default.contents(atPath: path) else { return nil }
        return "<audio controls src=\"data:audio/wav;base64,\(wav.base64EncodedString())\"></audio>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// Turns the fixed-width tables of a printout (a header, a rule of dashes, aligned rows — as the
/// Engine's `TextTable` and the layer summary print them) into HTML tables; other lines stay text.
enum TextTableHTML {
    static func containsTable(_ text: String) -> Bool {
        let lines = text.components(separatedBy: "\n")
        return lines.indices.contains { isRule(lines[$0]) && $0 > 0 }
    }

    static func render(_ text: String) -> String {
        let lines = text.components(separatedBy: "\n")
        var html: [String] = []
        var prose: [String] = []
        func flushProse() {
            if !prose.isEmpty { html.append("<pre>\(RichDisplay.escape(prose.joined(separator: "\n")))</pre>") }
            prose.removeAll()
        }
        var index = 0
        while index < lines.count {
            if index + 1 < lines.count, isRule(lines[index + 1]), !lines[index].isEmpty {
                let starts = columnStarts(header: lines[index], rule: lines[index + 1])
                var rows: [[String]] = []
                var next = index + 2
                // Rows end at a line that does not fit the columns, or at the next table's header.
                while next < lines.count, !isRule(lines[next]), !(next + 1 < lines.count && isRule(lines[next + 1])),
                      fits(lines[next], starts) {
                    rows.append(cells(lines[next], starts))
                    next += 1
                }
                flushProse()
                html.append(table(header: cells(lines[index], starts), rows: rows))
                index = next
            } else {
                prose.append(lines[index])
                index += 1
            }
        }
        flushProse()
        return "<div class=\"serscript-output\">" + html.joined(separator: "\n") + "</div>"
    }

    private static func isRule(_ line: String) -> Bool {
        line.count >= 3 && line.allSatisfy { $0 == "-" || $0 == " " } && line.contains("---")
    }

    /// Column starts: the rule's dash groups, or (one unbroken rule) where header words follow two spaces.
    private static func columnStarts(header: String, rule: String) -> [Int] {
        let source = rule.contains("  ") ? Array(rule) : Array(header)
        var starts: [Int] = []
        for (offset, character) in source.enumerated() where character != " " {
            if offset == 0 || (offset >= 2 && source[offset - 1] == " " && source[offset - 2] == " ") { starts.append(offset) }
        }
        return starts
    }

    /// A row of the table: non-empty, and blank in the two characters before every later column.
    private static func fits(_ line: String, _ starts: [Int]) -> Bool {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        let characters = Array(line)
        return starts.dropFirst().allSatisfy { start in
            start > characters.count || (characters[start - 2] == " " && characters[start - 1] == " ")
        }
    }

    private static func cells(_ line: String, _ starts: [Int]) -> [String] {
        let characters = Array(line)
        return starts.indices.map { column in
            let from = min(starts[column], characters.count)
            let to = column + 1 < starts.count ? min(starts[column + 1], characters.count) : characters.count
            return String(characters[from..<to]).trimmingCharacters(in: .whitespaces)
        }
    }

    private static func table(header: [String], rows: [[String]]) -> String {
        let head = header.map { "<th>\(RichDisplay.escape($0))</th>" }.joined()
        let body = rows.map { "<tr>" + $0.map { "<td>\(RichDisplay.escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
        return "<table>\n<thead><tr>\(head)</tr></thead>\n<tbody>\n\(body)\n</tbody>\n</table>"
    }
}
