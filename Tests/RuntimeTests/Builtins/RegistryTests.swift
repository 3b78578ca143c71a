import Runtime
import XCTest

final class RegistryTests: XCTestCase {
    let registry = BuiltinRegistry.standard

    func testEveryEntryIsUniqueAndDocumented() {
        XCTAssertEqual(registry.duplicates, [])
        XCTAssertGreaterThan(registry.entries.count, 60)
        for entry in registry.entries {
            XCTAssertGreaterThan(entry.doc.count, 15, "\(entry.qualifiedName) needs a real doc paragraph")
            XCTAssertTrue(entry.doc.hasSuffix("."), "\(entry.qualifiedName): doc should be a sentence")
            XCTAssertNotNil(registry.lookup(entry.qualifiedName))
        }
    }

    func testTheBriefsCoreBuiltinsExist() {
        let required = ["print", "len", "range", "str", "num", "sqrt", "exp", "log", "abs", "min", "max", "round", "floor",
                        "sorted", "sum", "zip", "enumerate", "map", "filter", "assert", "help", "time", "exists", "glob",
                        "read_text", "write_text", "mkdir", "env", "report", "seed", "list.append", "dict.keys",
                        "dict.values", "str.split", "audio_info", "load", "Audio.write"]
        for name in required { XCTAssertNotNil(registry.lookup(name), name) }
    }

    func testHelpReadsTheRegistry() throws {
        XCTAssertEqual(try Help.text(for: .string("sqrt"), registry: registry),
                       "sqrt(x)\n  Square root of `x` (a float); `x` must not be negative.")
        XCTAssertTrue(try Help.text(for: .string("list"), registry: registry).contains(".append(item)"))
        XCTAssertTrue(try Help.text(for: .null, registry: registry).contains("Audio: "))
        XCTAssertThrowsError(try Help.text(for: .string("sqrtt"), registry: registry)) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'sqrt'?"), "\(error)")
        }
        let markdown = Help.table(registry, markdown: true)
        XCTAssertEqual(markdown.components(separatedBy: "\n| `").count - 1, registry.entries.count, "one row per entry")
    }

    func testEngineObjectsGetMethodsAndOperatorsThroughTheRegistry() {
        final class Meter: ScriptObject {
            var reading: Double
            init(_ reading: Double) { self.reading = reading }
            var typeName: String { "Meter" }
            var summary: String { "Meter(\(reading))" }
            var details: String { "Meter\n  reading \(reading)" }
        }
        let registry = BuiltinRegistry()
        registry.domain = "Test"
        registry.function("meter", [Parameter("reading")], doc: "A meter showing `reading`.") { a in .object(Meter(try a.double("reading"))) }
        registry.property("Meter", "reading", doc: "The current reading.") { a in .float(try a.receiver(as: Meter.self).reading) }
        registry.method("Meter", "scaled", [Parameter("factor", 2)], doc: "A new meter scaled by `factor`.") { a in
            .object(Meter(try a.receiver(as: Meter.self).reading * (try a.double("factor"))))
        }
        registry.method("Meter", "+", [Parameter("other")], doc: "Sum of two meters' readings.") { a in
            .object(Meter(try a.receiver(as: Meter.self).reading + (try a.object("other", as: Meter.self, named: "Meter").reading)))
        }
        registry.function("print", [.variadic("values")], doc: "Prints the values, one per line.") { a in
            for value in try a.list("values") { a.interpreter.write(value.text + "\n") }
            return .null
        }
        let interpreter = Interpreter(registry: registry)
        let outcome = ScriptHarness.run("let m = meter(1.5)\nprint(m, [m], m.reading, (m + m.scaled()).reading)\nm.scaled(factr: 3)",
                                        interpreter: interpreter)
        XCTAssertEqual(outcome.output, "Meter\n  reading 1.5\n[Meter(1.5)]\n1.5\n4.5\n")
        XCTAssertTrue("\(outcome.error.map { "\($0)" } ?? "")".contains("Meter.scaled(factor = 2) has no parameter 'factr'; did you mean 'factor'?"))
    }
}
