import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A sweep owns its runs: signals to the sweep stop every child, the tables are still written, and
/// children start with default signal handling whatever the sweep inherited (issue #14 item 1).
final class SweepSignalTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-sweep-signals-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A script that reports at once for `wait = 0` and otherwise spins `wait` seconds first; each
    /// run marks its start with a file `started-WAIT` in the test's folder.
    private func writeScript() throws -> String {
        let path = folder.appendingPathComponent("spin.sers").path
        try """
        param wait = 0
        write_text("\(folder.path)/started-{wait}", "x")
        let t0 = time()
        while time() - t0 < wait { }
        report(waited: wait)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func started(_ wait: Int) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("started-\(wait)").path)
    }

    /// The pids whose parent is `parent`, from /proc.
    private func children(of parent: pid_t) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    private func alive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        return !stat.contains(") Z ")
    }

    private func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    private func stopSweep(with signal: Int32, expectedStatus: Int32) throws {
        let script = try writeScript()
        let out = folder.appendingPathComponent("sweep").path
        let process = Process()
        process.executableURL = serscriptBinary
        process.arguments = ["sweep", script, "--grid", "wait=0,600,601,602", "--jobs", "2", "--out", out]
        let log = folder.appendingPathComponent("sweep.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        // Runs 2 and 3 spin; run 4 waits for a free slot.
        XCTAssertTrue(waitUntil(120) { started(600) && started(601) }, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        let running = children(of: process.processIdentifier)
        XCTAssertEqual(running.count, 2, "two runs at a time")
        let sent = Date()
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        try handle.close()
        let output = try String(contentsOf: log, encoding: .utf8)
        XCTAssertLessThan(Date().timeIntervalSince(sent), 20, output)
        XCTAssertEqual(process.terminationReason, .exit, output)
        XCTAssertEqual(process.terminationStatus, expectedStatus, output)
        XCTAssertTrue(waitUntil(5) { running.allSatisfy { !alive($0) } }, "no run survives the sweep: \(running)")
        let csv = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        let statuses = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[2] }
        XCTAssertEqual(statuses, ["ok", "interrupted", "interrupted", "not started"], csv)
        XCTAssertTrue(csv.contains("\n1,0,ok,"), csv)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/results.md"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/run-4"), "run 4 never started")
    }

    func testSIGINTStopsEveryRunAndWritesTheTables() throws {
        try stopSweep(with: SIGINT, expectedStatus: 130)
    }

    func testSIGTERMStopsEveryRunAndWritesTheTables() throws {
        try stopSweep(with: SIGTERM, expectedStatus: 143)
    }

    func testSIGHUPStopsEveryRunAndWritesTheTables() throws {
        try stopSweep(with: SIGHUP, expectedStatus: 129)
    }

    /// A child killed by a signal the sweep did not send (as the OOM killer would) is reported as such.
    func testARunKilledFromOutsideIsReportedWithItsSignal() throws {
        let script = try writeScript()
        let out = folder.appendingPathComponent("killed").path
        let process = Process()
        process.executableURL = serscriptBinary
        process.arguments = ["sweep", script, "--grid", "wait=600,0", "--out", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        XCTAssertTrue(waitUntil(120) { started(600) })
        let child = try XCTUnwrap(children(of: process.processIdentifier).first)
        kill(child, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 1)
        let csv = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        XCTAssertTrue(csv.contains("\n1,600,killed by signal 9,"), csv)
        XCTAssertTrue(csv.contains("\n2,0,ok,"), csv)
    }

    /// Started with INT, TERM and HUP blocked and HUP ignored (as `nohup` and some launchers do), the
    /// sweep still gives its children a clean mask and default handlers, and still stops on SIGTERM.
    func testChildrenStartWithACleanSignalMaskWhateverTheSweepInherited() throws {
        let path = folder.appendingPathComponent("mask.sers").path
        try """
        param n = 1
        let lines = read_text("/proc/thread-self/status").split("\\n")
        report(blocked: filter(fn(l) = l.startswith("SigBlk:"), lines)[0], ignored: filter(fn(l) = l.startswith("SigIgn:"), lines)[0])
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("mask").path
        var blocked = sigset_t()
        sigemptyset(&blocked)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&blocked, signal) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setsigmask(&attributes, &blocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let arguments = [serscriptBinary.path, "sweep", path, "--grid", "n=1,2", "--out", out]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // SIGHUP ignored in the sweep: ignored signals survive exec unless the spawner resets them.
        let previousHUP = signal(SIGHUP, SIG_IGN)
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, serscriptBinary.path, nil, &attributes, argv, environ)
        signal(SIGHUP, previousHUP)
        XCTAssertEqual(spawned, 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        XCTAssertEqual(status, 0, "the sweep exits 0")
        let csv = try String(contentsOfFile: out + "/results.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst()
        XCTAssertEqual(rows.count, 2, csv)
        for row in rows {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            // header: run,n,status,seconds,blocked,ignored
            let masks = try [fields[4], fields[5]].map { field -> UInt64 in
                try XCTUnwrap(UInt64(field.split(separator: "\t").last.map(String.init) ?? "", radix: 16), field)
            }
            for signal in [SIGINT, SIGTERM, SIGHUP] {
                let bit = UInt64(1) << UInt64(signal - 1)
                XCTAssertEqual(masks[0] & bit, 0, "signal \(signal) blocked in the run: \(row)")
                XCTAssertEqual(masks[1] & bit, 0, "signal \(signal) ignored in the run: \(row)")
            }
        }
    }
}
