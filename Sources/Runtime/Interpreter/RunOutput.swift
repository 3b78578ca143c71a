import Engine
import Foundation

/// A run's output folder (`--out DIR`, else `runs/<script>-<timestamp>/`, made on first use) and
/// the metrics the script reports into it (`metrics.json` in the Engine's `JSONValue` encoding, as
/// `RunFolder` writes it; read back by `serscript sweep`).
public final class RunOutput {
    public let scriptName: String
    private let requested: String?
    private var created: String?
    /// Everything `report(...)` recorded, in order.
    public let metrics = DictBox()

    public init(scriptName: String, directory: String?) {
        self.scriptName = scriptName
        self.requested = directory
    }

    /// The folder's path, creating it the first time.
    public func directory() throws -> String {
        if let created { return created }
        let path: String
        if let requested {
            path = requested
        } else {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyyMMdd-HHmmss"
            path = "runs/\(scriptName)-\(formatter.string(from: Date()))"
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw BuiltinError("cannot create the run folder \(path): \(error.localizedDescription)")
        }
        created = path
        return path
    }

    /// Merges `values` into the metrics and rewrites `metrics.json`.
    public func report(_ values: [(DictKey, Value)]) throws {
        for (key, value) in values { metrics[key] = value }
        let path = try directory() + "/metrics.json"
        let text = Value.dict(metrics).json.encoded(pretty: true) + "\n"
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw BuiltinError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// SplitMix64: small, fast, and the same sequence for the same seed on every machine.
public struct SeededRandom {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in 0..<bound (bound > 0).
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
