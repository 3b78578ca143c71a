import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// How two run folders' results compare (a recorded run and its re-run): every reported metric, and
/// each column of the training history except the timings, which no two runs share.
public struct RunComparison {
    /// One compared quantity, as text for a table.
    public struct Row: Equatable {
        public let name: String
        public let recorded: String
        public let rerun: String
        public let same: Bool
    }

    /// Metrics first (sorted by name), then history columns in file order.
    public let rows: [Row]

    /// Whether every compared value is identical (bit for bit: the numbers as written).
    public var identical: Bool { rows.allSatisfy(\.same) }

    /// History columns that measure the machine rather than the model.
    static let timingColumns: Set<String> = ["seconds", "samples_per_s"]

    /// Compares the folders at `recorded` and `rerun`; a file neither has is skipped.
    public init(recorded: String, rerun: String) throws {
        rows = Self.metricRows(try Self.metrics(in: recorded), try Self.metrics(in: rerun))
            + Self.historyRows(try Self.history(in: recorded), try Self.history(in: rerun))
    }

    private static func metricRows(_ old: [String: JSONValue], _ new: [String: JSONValue]) -> [Row] {
        Set(old.keys).union(new.keys).sorted().map { name in
            Row(name: name, recorded: old[name].map(text) ?? "—", rerun: new[name].map(text) ?? "—", same: old[name] == new[name])
        }
    }

    private static func historyRows(_ old: [String: [String]], _ new: [String: [String]]) -> [Row] {
        let names = old.keys.sorted() + new.keys.filter { old[$0] == nil }.sorted()
        return names.filter { !timingColumns.contains($0) && $0 != "epoch" }.map { name in
            let before = old[name] ?? [], after = new[name] ?? []
            return Row(name: "history \(name)", recorded: summary(before), rerun: summary(after), same: before == after)
        }
    }

    /// "8 epochs, last 0.8977".
    private static func summary(_ values: [String]) -> String {
        guard let last = values.last else { return "—" }
        return "\(values.count) epoch\(values.count == 1 ? "" : "s"), last \(last)"
    }

    private static func text(_ value: JSONValue) -> String {
        if case .string(let string) = value { return string }
        return value.encoded()
    }

    private static func metrics(in folder: String) throws -> [String: JSONValue] {
        let file = (folder as NSString).appendingPathComponent("metrics.json")
        guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else { return [:] }
        let json: JSONValue
        do { json = try JSONValue.parse(contents) } catch { throw ReportError("\(file): \(error)") }
        guard let members = json.objectValue else { throw ReportError("\(file): not a JSON object") }
        return members
    }

    /// Column name → its values, one per epoch, as written.
    private static func history(in folder: String) throws -> [String: [String]] {
        let file = (folder as NSString).appendingPathComponent("history.csv")
        guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else { return [:] }
        let lines = contents.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [:] }
        var columns: [String: [String]] = [:]
        for (number, line) in lines.dropFirst().enumerated() {
            guard line.count == header.count else {
                throw ReportError("\(file):\(number + 2): \(line.count) fields, the header has \(header.count)")
            }
            for (name, value) in zip(header, line) { columns[name, default: []].append(value) }
        }
        return columns
    }
}
