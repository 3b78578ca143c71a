import Engine
import Foundation

extension BuiltinRegistry {
    /// The run: its params, output folder, reported metrics and random seed.
    func registerRun() {
        domain = "Run"
        function("report", [.keywords("metrics")],
                 doc: "Records final metrics of the run, e.g. `report(accuracy: acc, loss: loss)`: merged into `metrics.json` in the run folder, where `serscript sweep` collects them into its results table. NaN and infinite values are written as the strings \"nan\", \"inf\", \"-inf\" (with a warning).") { a in
            let metrics = try a.dict("metrics")
            for pair in metrics.pairs {
                if case .float(let number) = pair.value, !number.isFinite {
                    a.interpreter.write("warning: report: \(pair.key.value.text) is \(number); metrics.json holds it as the string \"\(pair.value.json.stringValue ?? "")\"\n")
                }
            }
            try a.interpreter.output.report(metrics.pairs.map { ($0.key, $0.value) })
            return .null
        }
        function("run_dir", [], doc: "The run's output folder (`--out DIR`, else `runs/<script>-<timestamp>/`), created on first use.") { a in
            .string(try a.interpreter.output.directory())
        }
        function("params", [], doc: "A dict of every `param` declared so far and its value (after `--set` overrides).") { a in
            .dict(DictBox(a.interpreter.parameterValues.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        }
        function("seed", [Parameter("n")],
                 doc: "Seeds the script's random generator and every Engine generator registered with it, so runs repeat exactly; `--seed N` does the same before the script starts.") { a in
            let n = try a.int("n")
            a.interpreter.reseed(UInt64(bitPattern: Int64(n)))
            return .null
        }
        function("random", [], doc: "A uniform random float in [0, 1).") { a in .float(a.interpreter.random.uniform()) }
        function("randint", [Parameter("low"), Parameter("high")], doc: "A uniform random int in [low, high] (both included).") { a in
            let low = try a.int("low"), high = try a.int("high")
            let span = high.subtractingReportingOverflow(low)
            guard high >= low, !span.overflow, span.partialValue < Int.max else {
                throw BuiltinError("randint: empty or too wide range [\(low), \(high)]")
            }
            return .int(low + a.interpreter.random.below(span.partialValue + 1))
        }
        function("shuffle", [Parameter("items")], doc: "Shuffles a list in place (Fisher–Yates, using the seeded generator).") { a in
            guard case .list(let box) = a["items"] else { throw BuiltinError("shuffle: 'items' must be a list, got \(a["items"].typeName)") }
            var index = box.items.count - 1
            while index > 0 {
                box.items.swapAt(index, a.interpreter.random.below(index + 1))
                index -= 1
            }
            return .null
        }
    }
}

extension Interpreter {
    /// Seeds the script generator and the Engine's shared generator (weight initialisation, dropout,
    /// shuffling) from one seed (`--seed`, `seed(n)`).
    public func reseed(_ seed: UInt64) {
        random = SplitMix64(seed: seed)
        RandomGenerator.global.reseed(seed)
    }
}
