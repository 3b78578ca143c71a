import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// Turns one manifest row into a clip; faults are `NamingError`s naming the column.
struct ManifestRow {
    package let columns: ManifestColumns
    /// The CSV's folder, against which relative paths are read.
    package let folder: String
    /// The corpus name for rows without one.
    let defaultCorpus: String

    package func clip(_ record: CSVRecord) throws -> Clip {
        guard record.fields.count == columns.count else {
            let hint = record.fields.count > columns.count ? " (quote fields that contain commas)" : ""
            throw NamingError("\(record.fields.count) field(s), but the header has \(columns.count)\(hint)")
        }
        let path = try audioPath(try value("path", record))
        let emotionName = try value("emotion", record) ?? ""
        guard let emotion = Emotion.named(emotionName) else {
            throw NamingError(column("emotion") + (emotionName.isEmpty ? ": empty" : ": unknown emotion '\(emotionName)'")
                              + "; emotions are " + Emotion.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let genderName = try value("gender", record) ?? ""
        guard let gender = Gender.named(genderName) else {
            throw NamingError(column("gender") + ": unknown gender '\(genderName)'; write male/m, female/f or unknown (or leave it empty)")
        }
        return Clip(path: path, emotion: emotion, speaker: try value("speaker", record) ?? "unknown", gender: gender,
                    intensity: try value("intensity", record), statement: try value("statement", record),
                    corpus: try value("corpus", record) ?? defaultCorpus)
    }

    /// The trimmed value of a known column, or `nil` when the header lacks it or the cell is empty.
    private func value(_ name: String, _ record: CSVRecord) throws -> String? {
        guard let position = columns.index[name] else { return nil }
        guard record.fields.indices.contains(position) else { throw NamingError(column(name) + ": missing") }
        let text = record.fields[position].trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// "column 'emotion' (field 2)", for messages.
    private func column(_ name: String) -> String {
        "column '\(name)'" + (columns.index[name].map { " (field \($0 + 1))" } ?? "")
    }

    /// The row's audio file, read from the CSV's folder when relative; it must exist.
    private func audioPath(_ listed: String?) throws -> String {
        guard let listed else { throw NamingError(column("path") + ": empty; every row must name its audio file") }
        let path = listed.hasPrefix("/") ? listed : (folder as NSString).appendingPathComponent(listed)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw NamingError(column("path") + ": no such audio file \(path)")
        }
        guard !isDirectory.boolValue else { throw NamingError(column("path") + ": \(path) is a folder, not an audio file") }
        return path
    }
}
