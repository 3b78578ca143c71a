import Foundation
import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// What a run folder's `run.json` holds: how the run was started (enough to start it again the same
/// way) and what it ran on (enough to tell why two runs of one script differ).
public struct RunRecord: Equatable {
    /// The program and its version, e.g. "serscript 0.1.0".
    public var tool: String
    /// The command line as typed (program name first).
    public var command: [String]
    /// The folder the run was started in; relative paths in the script are relative to it.
    public var workingDirectory: String
    /// The script's path as given, "<-e>" for a snippet, nil for an interactive session.
    public var script: String?
    /// `--set name=value` overrides, in the order given.
    public var overrides: [(name: String, value: String)]
    /// The cells run (`--cells`), nil for all.
    public var cells: [Int]?
    /// The seed every generator started from, and whether it was given (`--seed`) or drawn.
    public var seed: UInt64
    public var seedGiven: Bool
    /// BLAS threads.
    public var threads: Int
    public var started: Date
    public var finished: Date?
    /// "running", "completed", "interrupted", "terminated", "failed" or "diverged".
    public var outcome: String
    /// When `serscript resume` continued the run, once per resume.
    public var resumed: [Date] = []
    /// The error that ended a failed run.
    public var error: String?
    /// CPU, operating system and core count (filled by `describeThisMachine`).
    public var host: [String: String] = [:]
    /// `LibraryVersions.current` at the time of the run (filled by `describeThisMachine`).
    public var libraries: [String: String] = [:]
    /// Environment variables that change numeric results or speed (BLAS and OpenMP settings).
    public var environment: [String: String] = [:]
    /// The corpora the run indexed, in the order it indexed them.
    public var data: [DataFingerprint] = []

    /// A record of a run starting now; `describeThisMachine` adds the machine when it is needed
    /// (reading /proc/cpuinfo is not worth doing for a run that writes no folder).
    public init(tool: String, command: [String], script: String?, overrides: [(name: String, value: String)],
                cells: [Int]?, seed: UInt64, seedGiven: Bool, threads: Int, started: Date = Date()) {
        self.tool = tool
        self.command = command
        self.workingDirectory = FileManager.default.currentDirectoryPath
        self.script = script
        self.overrides = overrides
        self.cells = cells
        self.seed = seed
        self.seedGiven = seedGiven
        self.threads = threads
        self.started = started
        self.outcome = "running"
    }

    /// Records this machine's CPU, OS, C libraries and numeric environment variables.
    public mutating func describeThisMachine() {
        host = ["cpu": Host.cpu, "os": Host.operatingSystem, "cores": String(Host.logicalCores)]
        libraries = LibraryVersions.current
        environment = ProcessInfo.processInfo.environment.filter { Self.isNumericSetting($0.key) }
    }


    /// Variables read by OpenBLAS / OpenMP: they pick kernels and thread counts.
    static func isNumericSetting(_ name: String) -> Bool {
        name.hasPrefix("OPENBLAS_") || name.hasPrefix("OMP_") || name == "GOTO_NUM_THREADS"
    }

    /// Seconds from start to finish, when finished.
    public var seconds: Double? { finished.map { $0.timeIntervalSince(started) } }

    public static func == (lhs: RunRecord, rhs: RunRecord) -> Bool { lhs.json == rhs.json }
}

extension RunRecord {
    /// The record as `run.json` stores it. Seeds above 2^53 are written as strings, which JSON
    /// numbers (doubles) could not hold exactly.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "tool": .string(tool),
            "command": .array(command.map(JSONValue.string)),
            "working_directory": .string(workingDirectory),
            "script": script.map(JSONValue.string) ?? .null,
            "overrides": .array(overrides.map { .array([.string($0.name), .string($0.value)]) }),
            "cells": cells.map { .array($0.map { .number(Double($0)) }) } ?? .null,
            "seed": seed <= 1 << 53 ? .number(Double(seed)) : .string(String(seed)),
            "seed_given": .bool(seedGiven),
            "threads": .number(Double(threads)),
            "started": .string(Self.timestamp.string(from: started)),
            "outcome": .string(outcome),
            "host": .object(host.mapValues(JSONValue.string)),
            "libraries": .object(libraries.mapValues(JSONValue.string)),
            "environment": .object(environment.mapValues(JSONValue.string)),
            "data": .array(data.map { .object(["source": .string($0.source), "files": .number(Double($0.files)),
                                                "bytes": .number(Double($0.bytes)), "digest": .string($0.digest)]) }),
        ]
        if let finished { members["finished"] = .string(Self.timestamp.string(from: finished)) }
        if let seconds { members["seconds"] = .number((seconds * 1000).rounded() / 1000) }
        if let error { members["error"] = .string(error) }
        if !resumed.isEmpty { members["resumed"] = .array(resumed.map { .string(Self.timestamp.string(from: $0)) }) }
        return .object(members)
    }

    /// Reads a record written by `json`; `source` names the file in errors.
    public init(json: JSONValue, source: String) throws {
        let reader = RecordReader(source: source, members: try json.objectValue ?? { throw ReportError("\(source): not a JSON object") }())
        tool = try reader.string("tool")
        command = try reader.strings("command")
        workingDirectory = try reader.string("working_directory")
        script = try reader.optionalString("script")
        overrides = try reader.array("overrides").map { pair in
            guard let items = pair.arrayValue, items.count == 2, let name = items[0].stringValue, let value = items[1].stringValue else {
                throw ReportError("\(source): 'overrides' must hold [name, value] pairs of strings")
            }
            return (name, value)
        }
        cells = try reader.optionalArray("cells").map { try $0.map { try reader.integer($0, "cells") } }
        seed = try reader.seed("seed")
        seedGiven = try reader.bool("seed_given")
        threads = try reader.integer(reader.value("threads"), "threads")
        started = try reader.date("started")
        finished = try reader.optionalString("finished").map { try reader.date($0, "finished") }
        outcome = try reader.string("outcome")
        error = try reader.optionalString("error")
        resumed = try (reader.optionalArray("resumed") ?? []).map { item in
            guard let text = item.stringValue else { throw reader.wrong("resumed", "a list of timestamps") }
            return try reader.date(text, "resumed")
        }
        host = try reader.stringTable("host")
        libraries = try reader.stringTable("libraries")
        environment = try reader.stringTable("environment")
        data = try (reader.optionalArray("data") ?? []).map { item in
            let entry = RecordReader(source: source, members: try item.objectValue ?? { throw reader.wrong("data", "a list of objects") }())
            return DataFingerprint(source: try entry.string("source"), files: try entry.integer(entry.value("files"), "files"),
                                   bytes: try entry.integer(entry.value("bytes"), "bytes"), digest: try entry.string("digest"))
        }
    }

    static let timestamp: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}

/// Typed access to the members of `run.json`, with errors that name the file and the member.
private struct RecordReader {
    let source: String
    let members: [String: JSONValue]

    func value(_ key: String) throws -> JSONValue {
        guard let value = members[key] else { throw ReportError("\(source): '\(key)' is missing") }
        return value
    }

    func wrong(_ key: String, _ expected: String) -> ReportError { ReportError("\(source): '\(key)' must be \(expected)") }

    func string(_ key: String) throws -> String {
        guard let text = try value(key).stringValue else { throw wrong(key, "a string") }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = members[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw wrong(key, "a string or null") }
        return text
    }

    func bool(_ key: String) throws -> Bool {
        guard case .bool(let flag) = try value(key) else { throw wrong(key, "true or false") }
        return flag
    }

    func array(_ key: String) throws -> [JSONValue] {
        guard let items = try value(key).arrayValue else { throw wrong(key, "a list") }
        return items
    }

    func optionalArray(_ key: String) throws -> [JSONValue]? {
        guard let value = members[key], value != .null else { return nil }
        guard let items = value.arrayValue else { throw wrong(key, "a list or null") }
        return items
    }

    func strings(_ key: String) throws -> [String] {
        try array(key).map { try $0.stringValue ?? { throw wrong(key, "a list of strings") }() }
    }

    func integer(_ value: JSONValue, _ key: String) throws -> Int {
        guard let number = value.numberValue, number.rounded() == number, abs(number) <= 0x1p53 else {
            throw wrong(key, "a whole number")
        }
        return Int(number)
    }

    func seed(_ key: String) throws -> UInt64 {
        let value = try value(key)
        if let text = value.stringValue, let seed = UInt64(text) { return seed }
        guard let number = value.numberValue, number >= 0, number.rounded() == number, number <= 0x1p53 else {
            throw wrong(key, "a whole number from 0 to 2^64 - 1")
        }
        return UInt64(number)
    }

    func date(_ key: String) throws -> Date { try date(try string(key), key) }

    func date(_ text: String, _ key: String) throws -> Date {
        guard let date = RunRecord.timestamp.date(from: text) else { throw wrong(key, "an ISO 8601 time") }
        return date
    }

    func stringTable(_ key: String) throws -> [String: String] {
        guard let table = try value(key).objectValue else { throw wrong(key, "an object") }
        return try table.mapValues { try $0.stringValue ?? { throw wrong(key, "an object of strings") }() }
    }
}
