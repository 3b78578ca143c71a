import Foundation
import Engine
import Runtime
import XCTest

/// Random and mutated scripts through the lexer, parser, resolver and interpreter in this
/// process: each may fail with a `ScriptError`, but none may crash (a trap would kill the test
/// run, which is the point). Each run is stopped by Ctrl-C's flag after a short time.
final class FuzzTests: XCTestCase {
    /// Fixtures that touch the file system are left out so mutations cannot write files.
    static let corpus: [String] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/language")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".sers") }.sorted().compactMap { name in
            guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8),
                  !FuzzTests.touchesFiles(text) else { return nil }
            return text
        }
    }()

    static func touchesFiles(_ text: String) -> Bool {
        ["write", "mkdir", "report", "run_dir", "audio"].contains { text.contains($0) }
    }

    static let fragments = ["let ", "x", "y", "f", "fn ", "(", ")", "[", "]", "{", "}", ",", ":", "=", "+", "-", "*", "/",
                            "//", "%", "**", "==", "<", " if ", " else ", "for ", " in ", "while ", "return ", "break",
                            "\n", "\"", "{x}", "'", "1", "0", "-1", "2.5", "1e308", "9223372036854775807", "nil", "true",
                            "and", "not", ".", "append", "len", "range", "print", "sorted", "map", "# %% c\n", "#", "\\",
                            "param ", "xs", "[1, 2]", "{a: 1}", "(1, 2)", ";", "é", "\t", "x.y", "f(x)", "f(x: 1)"]

    func testMutatedAndRandomScriptsNeverCrash() {
        XCTAssertGreaterThan(Self.corpus.count, 10)
        var generator = SplitMix64(seed: 20_261_126)
        var outcomes: [String: Int] = [:]
        let started = Date()
        var count = 0
        // Bounded by count and by time, whichever comes first.
        while count < 15000, Date().timeIntervalSince(started) < 60 {
            let text = count % 3 == 2 ? Self.randomScript(&generator) : Self.mutate(Self.corpus[generator.below(Self.corpus.count)], &generator)
            count += 1
            if Self.touchesFiles(text) { continue }
            outcomes[Self.runBounded(text), default: 0] += 1
        }
        print("fuzz: \(count) scripts in \(String(format: "%.1f", Date().timeIntervalSince(started))) s: \(outcomes)")
        XCTAssertGreaterThan(outcomes["ok", default: 0], 10, "some mutations should still run")
        XCTAssertGreaterThan(outcomes["syntax", default: 0], 10)
        XCTAssertEqual(outcomes["other", default: 0], 0, "only ScriptErrors may escape")
    }

    /// Runs `text` with a watchdog that requests an interrupt after 50 ms; returns the outcome kind.
    static func runBounded(_ text: String) -> String {
        let watchdog = DispatchWorkItem { Interrupt.request() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.05, execute: watchdog)
        defer {
            watchdog.cancel()
            Interrupt.clear()
        }
        let interpreter = Interpreter()
        interpreter.write = { _ in }
        let outcome = ScriptHarness.run(text, interpreter: interpreter)
        switch outcome.error {
        case nil: return "ok"
        case let error as ScriptError:
            _ = error.description   // rendering must not crash either
            switch error.kind {
            case .syntax: return "syntax"
            case .name: return "name"
            case .runtime: return "runtime"
            case .interrupted: return "interrupted"
            }
        case let list as ScriptErrorList:
            _ = list.description
            return "name"
        default: return "other"
        }
    }

    static func mutate(_ text: String, _ random: inout SplitMix64) -> String {
        var characters = Array(text)
        for _ in 0...random.below(2) {
            guard !characters.isEmpty else { break }
            let at = random.below(characters.count)
            switch random.below(5) {
            case 0: characters.remove(at: at)
            case 1: characters.insert(contentsOf: fragments[random.below(fragments.count)], at: at)
            case 2: characters[at] = Array(fragments[random.below(fragments.count)]).first ?? " "
            case 3:   // duplicate a slice
                let end = min(characters.count, at + random.below(40))
                characters.insert(contentsOf: characters[at..<end], at: random.below(characters.count))
            default:  // cut a slice
                characters.removeSubrange(at..<min(characters.count, at + random.below(20)))
            }
        }
        return String(characters)
    }

    static func randomScript(_ random: inout SplitMix64) -> String {
        (0..<random.below(60)).map { _ in fragments[random.below(fragments.count)] }.joined()
    }
}
