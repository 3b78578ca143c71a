import Foundation
import XCTest

/// Runs the built `serscript` binary as a user would.
final class CommandLineTests: XCTestCase {
    func testVersionAndHelp() throws {
        let version = try runSerscript(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.hasPrefix("serscript "), version.stdout)
        let help = try runSerscript(["--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("USAGE"), help.stdout)
        let bad = try runSerscript(["--no-such-flag"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--no-such-flag"), bad.stderr)
    }
}
