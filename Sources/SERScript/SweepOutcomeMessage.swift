import Engine
import Foundation

/// A run's outcome as the bytes a rank sends rank 0 under mpirun: status, seconds, metrics, and
/// for a run that did not finish `ok` the end of its log, so rank 0 can keep the log even when the
/// ranks do not share a file system.
extension SweepOutcome {
    /// The most of a failed run's log sent along (its end, where the error is).
    static let logTailBytes = 64 << 10

    func message(logFile: String?) -> [UInt8] {
        var members: [String: JSONValue] = ["seconds": .number(seconds), "metrics": .object(metrics)]
        switch status {
        case .ok: members["status"] = "ok"
        case .failed(let code): members["status"] = "failed"; members["code"] = .number(Double(code))
        case .interrupted: members["status"] = "interrupted"
        case .killed(let signal): members["status"] = "killed"; members["code"] = .number(Double(signal))
        case .notStarted: members["status"] = "not started"
        case .running: members["status"] = "running"
        case .diverged: members["status"] = "diverged"
        case .terminated: members["status"] = "terminated"
        }
        if status != .ok, let logFile, let data = FileManager.default.contents(atPath: logFile) {
            members["log"] = .string(String(decoding: data.suffix(Self.logTailBytes), as: UTF8.self))
        }
        return Array(JSONValue.object(members).encoded().utf8)
    }

    /// The outcome in a message, and the log tail it carried; a garbled message reads as a failed run.
    init(message bytes: [UInt8]) {
        self.init()
        guard let members = (try? JSONValue.parse(String(decoding: bytes, as: UTF8.self)))?.objectValue else {
            status = .failed(127)
            return
        }
        seconds = members["seconds"]?.numberValue ?? 0
        metrics = members["metrics"]?.objectValue ?? [:]
        let code = Int32(members["code"]?.numberValue ?? 1)
        switch members["status"]?.stringValue {
        case "ok": status = .ok
        case "interrupted": status = .interrupted
        case "killed": status = .killed(code)
        case "not started": status = .notStarted
        case "running": status = .running
        case "diverged": status = .diverged
        case "terminated": status = .terminated
        default: status = .failed(code)
        }
        logTail = members["log"]?.stringValue
    }
}
