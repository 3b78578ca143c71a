import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// Indexes a corpus from a metadata CSV ("manifest") instead of file names: a header row, then
/// one row per audio file.
///
/// Columns (header names are case-insensitive; other columns are ignored):
/// - `path` (required): the audio file; a relative path is read from the CSV's folder.
/// - `emotion` (required): any spelling `Emotion.named` knows.
/// - `speaker`, `gender` (any spelling `Gender.named` knows), `intensity`, `statement`, `corpus`
///   (optional): a missing column or empty cell gives speaker "unknown", gender unknown, no
///   intensity or statement, and as corpus the CSV's file name without extension.
///
/// A row with the wrong number of fields, an unknown emotion or gender, or a file that does not
/// exist is an error naming the CSV's file and line (and column), or with
/// `UnparsableFilePolicy.skip` is left out and reported. CSV syntax faults, a missing required
/// column and a manifest without rows always fail.
struct ManifestReader {
    package let csv: String
    package let options: CorpusOptions

    package func run() throws -> IndexedCorpus {
        let records: [CSVRecord]
        do {
            records = try CSVRecords.parse(try text())
        } catch let error as CSVSyntaxError {
            throw DataError("\(csv):\(error.line): \(error.reason)")
        }
        guard let header = records.first else {
            throw DataError("\(csv): empty manifest; expected a header row naming at least the columns path and emotion")
        }
        let columns = try ManifestColumns(header: header, csv: csv)
        let rows = records.dropFirst()
        guard !rows.isEmpty else { throw DataError("\(csv): empty manifest: a header row but no rows of files") }
        let stem = ((csv as NSString).lastPathComponent as NSString).deletingPathExtension
        let row = ManifestRow(columns: columns, folder: (csv as NSString).deletingLastPathComponent,
                              defaultCorpus: stem.isEmpty ? Corpus.manifest.displayName : stem)
        var clips: [Clip] = []
        var skipped: [SkippedFile] = []
        for record in rows {
            do {
                clips.append(try row.clip(record))
            } catch let error as NamingError {
                let place = "\(csv):\(record.line)"
                try options.reject(SkippedFile(path: place, reason: error.reason), message: "\(place): \(error.reason)",
                                   skipped: &skipped)
            }
        }
        return try IndexedCorpus(clips: clips, skipped: skipped, options: options)
    }

    /// The CSV as UTF-8 text.
    private func text() throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: csv, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw DataError("\(csv): no such file (expected a manifest CSV with columns path, emotion, …)")
        }
        guard let data = FileManager.default.contents(atPath: csv) else { throw DataError("\(csv): cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw DataError("\(csv): not UTF-8 text") }
        return text
    }
}

/// Where each known column sits in a manifest's header row.
struct ManifestColumns {
    static let required = ["path", "emotion"]
    package static let optional = ["speaker", "gender", "intensity", "statement", "corpus"]

    /// Field index per known column name.
    package let index: [String: Int]
    /// Number of fields in the header; every row must have as many.
    package let count: Int

    init(header: CSVRecord, csv: String) throws {
        var index: [String: Int] = [:]
        for (position, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard Self.required.contains(name) || Self.optional.contains(name) else { continue }
            guard index[name] == nil else {
                throw DataError("\(csv):\(header.line): column '\(name)' appears twice in the header")
            }
            index[name] = position
        }
        for name in Self.required where index[name] == nil {
            throw DataError("\(csv):\(header.line): the header has no column '\(name)' (required: "
                            + Self.required.joined(separator: ", ") + "; optional: " + Self.optional.joined(separator: ", ")
                            + "); found " + header.fields.map { "'\($0)'" }.joined(separator: ", "))
        }
        self.index = index
        self.count = header.fields.count
    }
}
