import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// The recordings a prediction run names: audio files as given, every audio file under a folder
/// (sorted, hidden entries skipped), and the `path` column of a manifest CSV (relative paths read
/// from the CSV's folder; other columns, such as `emotion`, are ignored).
public enum AudioInputs {
    /// The files `inputs` name, in order. A missing input, a folder without audio or a manifest
    /// without a `path` column is an error naming it; whether a file is readable audio is left to
    /// loading, so one bad file does not stop the others.
    public static func expand(_ inputs: [String]) throws -> [String] {
        try inputs.flatMap { input -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else { throw DataError("\(input): no such file or folder") }
            if isDirectory.boolValue { return try folder(input) }
            if (input as NSString).pathExtension.lowercased() == "csv" { return try manifest(input) }
            return [input]
        }
    }

    private static func folder(_ root: String) throws -> [String] {
        let found = try CorpusWalk.audioFiles(under: root).map { (root as NSString).appendingPathComponent($0) }
        guard !found.isEmpty else { throw DataError("\(root): no audio files (.wav, .flac, .ogg, .aiff) found") }
        return found
    }

    private static func manifest(_ csv: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: csv) else { throw DataError("\(csv): cannot read the file") }
        let records: [CSVRecord]
        do { records = try CSVRecords.parse(String(decoding: data, as: UTF8.self)) } catch let error as CSVSyntaxError {
            throw DataError("\(csv):\(error.line): \(error.reason)")
        }
        guard let header = records.first, let column = header.fields.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == "path" }) else {
            throw DataError("\(csv): a manifest needs a header row with a 'path' column")
        }
        let folder = (csv as NSString).deletingLastPathComponent
        return try records.dropFirst().map { record in
            guard column < record.fields.count, !record.fields[column].isEmpty else { throw DataError("\(csv):\(record.line): no path") }
            let path = record.fields[column]
            return path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
        }
    }
}
