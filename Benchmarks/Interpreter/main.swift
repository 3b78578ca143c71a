import Foundation
import Runtime

// Interpreter overhead: scalar loops and calls run in-process, and the start-up time of
// `serscript -e '1'` (run as a child process). Prints a table; writes Benchmarks/results/interpreter.json.

struct Measurement: Encodable {
    let name: String
    let iterations: Int
    let seconds: Double
    let target: Double?
    var nanosecondsPerIteration: Double { seconds / Double(max(iterations, 1)) * 1e9 }
    var passes: Bool? { target.map { seconds < $0 } }

    enum CodingKeys: String, CodingKey { case name, iterations, seconds, target, nanosecondsPerIteration, passes }
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(iterations, forKey: .iterations)
        try container.encode(seconds, forKey: .seconds)
        try container.encodeIfPresent(target, forKey: .target)
        try container.encode(nanosecondsPerIteration, forKey: .nanosecondsPerIteration)
        try container.encodeIfPresent(passes, forKey: .passes)
    }
}

/// Best of `repeats` runs of `script` (compiled once per run; only running is timed).
func timeScript(_ name: String, _ script: String, iterations: Int, target: Double?, repeats: Int = 5) -> Measurement {
    var best = Double.infinity
    for _ in 0..<repeats {
        let seconds: Double = LargeStack.run {
            do {
                let interpreter = Interpreter()
                interpreter.write = { _ in }
                let compiled = try interpreter.compile(try Program.parse(SourceFile(name: name, text: script)))
                let start = DispatchTime.now().uptimeNanoseconds
                try interpreter.run(compiled)
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            } catch {
                fputs("benchmark script failed: \(error)\n", stderr)
                exit(1)
            }
        }
        best = min(best, seconds)
    }
    return Measurement(name: name, iterations: iterations, seconds: best, target: target)
}

/// Median wall time of `serscript -e '1'`.
func timeStartup(runs: Int = 21) -> Measurement {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("serscript")
    var times: [Double] = []
    for _ in 0..<runs {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["-e", "1"]
        let start = DispatchTime.now().uptimeNanoseconds
        do { try process.run() } catch {
            fputs("cannot run \(binary.path): \(error) (build it: swift build -c release --product serscript)\n", stderr)
            exit(1)
        }
        process.waitUntilExit()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return Measurement(name: "startup: serscript -e '1' (median of \(runs))", iterations: 1, seconds: times.sorted()[runs / 2], target: 0.1)
}

let n = 1_000_000
let results = [
    timeScript("for-range loop, global sum", "let s = 0\nfor i in range(\(n)) { s = s + i }\nassert(s == \(n * (n - 1) / 2))",
               iterations: n, target: 1.0),
    timeScript("while loop, compound assign", "let i = 0\nlet s = 0.0\nwhile i < \(n) {\n  s += i * 0.5\n  i += 1\n}",
               iterations: n, target: 1.0),
    timeScript("loop inside a function (locals)", "fn run(n) {\n  let s = 0\n  for i in range(n) { if i % 3 == 0 { s += i } }\n  return s\n}\nrun(\(n))",
               iterations: n, target: 1.0),
    timeScript("script function calls", "fn add(a, b) = a + b\nlet s = 0\nfor i in range(\(n)) { s = add(s, i) }",
               iterations: n, target: nil),
    timeScript("builtin calls (sqrt)", "let s = 0.0\nfor i in range(\(n)) { s += sqrt(i) }", iterations: n, target: nil),
    timeStartup(),
]

print("| benchmark | iterations | seconds | ns/iteration | target | ok |")
print("|---|---:|---:|---:|---:|---|")
for result in results {
    let target = result.target.map { String(format: "< %.2f s", $0) } ?? ""
    let verdict = result.passes.map { $0 ? "yes" : "NO" } ?? ""
    print("| \(result.name) | \(result.iterations) | \(String(format: "%.4f", result.seconds)) | \(String(format: "%.1f", result.nanosecondsPerIteration)) | \(target) | \(verdict) |")
}
let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("results")
try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
if let data = try? encoder.encode(results) {
    try? data.write(to: folder.appendingPathComponent("interpreter.json"))
    print("wrote \(folder.path)/interpreter.json")
}
exit(results.allSatisfy { $0.passes ?? true } ? 0 : 1)
