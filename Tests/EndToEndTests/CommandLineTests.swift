import Foundation
import XCTest

/// The command tree as a user meets it: help, per-subcommand help, completions, exit statuses.
final class CommandLineTests: XCTestCase {
    static let subcommands = ["run", "check", "sweep", "rerun", "demo-corpus", "list-builtins", "repl", "export", "convert", "cache", "kernel", "notebook"]

    func testVersionAndHelp() throws {
        let version = try runSerscript(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("serscript "), version.stdout)
        let help = try runSerscript(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE: serscript"), help.stdout)
        for name in Self.subcommands {
            XCTAssertTrue(help.stdout.contains("\n  \(name) "), "root help lists \(name): \(help.stdout)")
        }
        XCTAssertTrue(help.stdout.contains("130 interrupted"), help.stdout)
    }

    func testEverySubcommandHasItsOwnHelpWithExamples() throws {
        for name in Self.subcommands {
            let help = try runSerscript([name, "--help"])
            XCTAssertEqual(help.status, 0, "\(name): \(help.stderr)")
            XCTAssertTrue(help.stdout.contains("USAGE: serscript \(name)"), "\(name): \(help.stdout)")
            XCTAssertTrue(help.stdout.contains("EXAMPLES:\n  serscript"), "\(name): \(help.stdout)")
            // `serscript help NAME` shows the same page.
            let viaHelp = try runSerscript(["help", name])
            XCTAssertEqual(viaHelp.status, 0)
            XCTAssertEqual(viaHelp.stdout, help.stdout, name)
        }
        let sweep = try runSerscript(["help", "sweep"]).stdout
        XCTAssertTrue(sweep.contains("--grid <name=v1,v2>"), sweep)
        XCTAssertTrue(sweep.contains("--seeds <s1,s2>"), sweep)
    }

    func testUsageErrorsExit2WithAShortUsageLineNotTheWholeHelp() throws {
        for arguments in [["--no-such-flag"], ["sweep"], ["sweep", "x.sers", "--jobs", "0"], ["check"],
                          ["rerun"], ["demo-corpus", "d", "--speakers", "x"], ["list-builtins", "--json"]] {
            let result = try runSerscript(arguments)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("serscript: "), "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("Usage: serscript"), "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--help' for more information."), "\(arguments): \(result.stderr)")
            XCTAssertLessThanOrEqual(result.stderr.split(separator: "\n").count, 6, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stdout, "", "\(arguments)")
        }
        let unknown = try runSerscript(["--no-such-flag"])
        XCTAssertTrue(unknown.stderr.contains("--no-such-flag"), unknown.stderr)
    }

    func testCompletionScriptsForEveryShell() throws {
        for (shell, marker) in [("bash", "complete -o"), ("zsh", "#compdef serscript"), ("fish", "complete -c 'serscript'")] {
            let script = try runSerscript(["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, script.stderr)
            XCTAssertTrue(script.stdout.contains(marker), "\(shell): \(script.stdout.prefix(300))")
            for name in Self.subcommands { XCTAssertTrue(script.stdout.contains(name), "\(shell) completes \(name)") }
        }
        // The completions know the options of a subcommand and the script files it takes.
        let bash = try runSerscript(["--generate-completion-script", "bash"]).stdout
        XCTAssertTrue(bash.contains("--grid") && bash.contains("--seeds") && bash.contains("sers"), bash)
    }

    func testRunIsTheDefaultSubcommand() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("hello.sers")
        try "param who = \"world\"\nprint(\"hello\", who)\n".write(to: script, atomically: true, encoding: .utf8)
        for arguments in [[script.path], ["run", script.path]] {
            let result = try runSerscript(arguments + ["--set", "who=you", "--out", folder.appendingPathComponent("run").path])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(result.stdout, "hello you\n")
        }
        let dash = try runSerscript(["-", "--set", "who=pipe"], stdin: "param who = \"x\"\nprint(who)\n")
        XCTAssertEqual(dash.status, 0, dash.stderr)
        XCTAssertEqual(dash.stdout, "pipe\n")
        let snippetStartingWithDash = try runSerscript(["-e", "-1"])
        XCTAssertEqual(snippetStartingWithDash.status, 0, snippetStartingWithDash.stderr)
        let both = try runSerscript([script.path, "-e", "1"])
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("not both"), both.stderr)
    }
}
