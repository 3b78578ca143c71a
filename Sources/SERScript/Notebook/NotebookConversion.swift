import Engine
import Foundation
import Runtime

/// Converts between `.sers` scripts and Jupyter notebooks (nbformat 4.5). A script's `# %% Title`
/// cells become a Markdown title cell and a code cell; the code before the first marker is the
/// first code cell; `# %% [markdown]` sections of `# ` comment lines are Markdown cells. The way
/// back writes the same text, so a script that puts one blank line before each marker and ends
/// with one newline round-trips exactly.
enum NotebookConversion {
    static let markdownMarker = "[markdown]"

    /// The notebook of a script (which must parse: its cells come from the parser's markers).
    static func notebook(from file: SourceFile) throws -> JSONValue {
        let program = try Program.parse(file)
        var lines = file.text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let markers = program.cells.filter { $0.number > 0 }
        var cells: [JSONValue] = []
        let preamble = trimmed(Array(lines[..<min(lines.count, (markers.first?.location.line ?? lines.count + 1) - 1)]))
        if !preamble.isEmpty { cells.append(cell("code", preamble, id: cells.count)) }
        for (index, marker) in markers.enumerated() {
            let first = marker.location.line
            let end = index + 1 < markers.count ? markers[index + 1].location.line - 1 : lines.count
            let body = trimmed(Array(lines[min(first, end)..<end]))
            if marker.title == markdownMarker {
                cells.append(cell("markdown", body.map(uncommented), id: cells.count))
                continue
            }
            if !marker.title.isEmpty { cells.append(cell("markdown", ["## " + marker.title], id: cells.count)) }
            cells.append(cell("code", body, id: cells.count))
        }
        return [
            "cells": .array(cells),
            "metadata": ["kernelspec": ["name": .string(KernelSpec.name), "display_name": "serscript", "language": "serscript"],
                         "language_info": Kernel.languageInfo],
            "nbformat": 4, "nbformat_minor": 5,
        ]
    }

    /// The script of a notebook: a Markdown heading followed by code becomes that cell's title,
    /// other Markdown becomes a `# %% [markdown]` section, outputs are dropped.
    static func script(from notebook: JSONValue, name: String) throws -> String {
        guard let cells = notebook.objectValue?["cells"]?.arrayValue else {
            throw UsageError(description: "\(name): not a Jupyter notebook (no \"cells\" list)")
        }
        var chunks: [String] = []
        var title: String?
        for (index, cell) in cells.enumerated() {
            guard let members = cell.objectValue, let type = members["cell_type"]?.stringValue else {
                throw UsageError(description: "\(name): cell \(index + 1) has no cell_type")
            }
            var source = try text(members["source"], name, index)
            while source.hasSuffix("\n") { source.removeLast() }
            if type == "code" {
                let marker = title.map { "# %% \($0)" } ?? (chunks.isEmpty ? nil : "# %%")
                chunks.append(([marker].compactMap { $0 } + (source.isEmpty ? [] : [source])).joined(separator: "\n"))
                title = nil
                continue
            }
            if let pending = title { chunks.append(markdownSection("## " + pending)) }
            title = nil
            let nextIsCode = index + 1 < cells.count && cells[index + 1].objectValue?["cell_type"]?.stringValue == "code"
            if type == "markdown", nextIsCode, let heading = heading(source) {
                title = heading
            } else {
                chunks.append(markdownSection(source))
            }
        }
        if let pending = title { chunks.append(markdownSection("## " + pending)) }
        return chunks.joined(separator: "\n\n") + "\n"
    }

    private static func cell(_ type: String, _ lines: [String], id: Int) -> JSONValue {
        // nbformat stores source as lines that keep their newline, the last without one.
        let source = lines.enumerated().map { JSONValue.string($0.offset + 1 < lines.count ? $0.element + "\n" : $0.element) }
        var members: [String: JSONValue] = ["cell_type": .string(type), "id": .string("cell-\(id)"), "metadata": [:], "source": .array(source)]
        if type == "code" {
            members["execution_count"] = .null
            members["outputs"] = []
        }
        return .object(members)
    }

    /// A cell's source, given as one string or a list of lines.
    private static func text(_ source: JSONValue?, _ name: String, _ index: Int) throws -> String {
        switch source {
        case .string(let text)?: return text
        case .array(let parts)?:
            return try parts.map { part in
                guard let line = part.stringValue else { throw UsageError(description: "\(name): cell \(index + 1)'s source holds a non-string") }
                return line
            }.joined()
        case nil: return ""
        default: throw UsageError(description: "\(name): cell \(index + 1)'s source is neither a string nor a list of strings")
        }
    }

    /// The title of a one-line Markdown heading (`## Title`).
    private static func heading(_ source: String) -> String? {
        let line = source.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.contains("\n"), line.hasPrefix("#") else { return nil }
        let title = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
        return title.isEmpty || title == markdownMarker ? nil : title
    }

    private static func markdownSection(_ source: String) -> String {
        let lines = source.components(separatedBy: "\n").map { $0.isEmpty ? "#" : "# " + $0 }
        return (["# %% " + markdownMarker] + lines).joined(separator: "\n")
    }

    private static func uncommented(_ line: String) -> String {
        line.hasPrefix("# ") ? String(line.dropFirst(2)) : line.hasPrefix("#") ? String(line.dropFirst()) : line
    }

    private static func trimmed(_ lines: [String]) -> [String] {
        var lines = lines
        while lines.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeLast() }
        return lines
    }
}
