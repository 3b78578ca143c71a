import Engine
import Foundation

/// One child process's wall time, CPU time and peak resident memory (from `wait4`, so the figures
/// are that child's alone).
struct MeasuredRun {
    var wall: Double
    var user: Double
    var system: Double
    /// Peak resident set size in megabytes (10⁶ bytes).
    var peakMB: Double
    /// Everything the child printed (stdout and stderr).
    var output: String
}

/// Runs `arguments` (the executable first) in `folder` with `environment` added to this process's,
/// waits for it and measures it. A non-zero exit throws with the child's output.
func measuredRun(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws -> MeasuredRun {
    let log = NSTemporaryDirectory() + "serscript-bench-child-\(getpid()).log"
    // The shell changes folder and redirects, then execs: the measured pid is the program itself.
    let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\" > \"\(log)\" 2>&1", folder] + arguments
    var merged = ProcessInfo.processInfo.environment
    for (name, value) in environment { merged[name] = value }
    let cArguments = argv.map { strdup($0) } + [nil]
    let cEnvironment = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (cArguments + cEnvironment).forEach { free($0) } }
    var pid = pid_t()
    let start = DispatchTime.now().uptimeNanoseconds
    let spawned = posix_spawn(&pid, "/bin/sh", nil, nil, cArguments, cEnvironment)
    guard spawned == 0 else { throw AudioParameterError("bench", "cannot start \(arguments[0]): error \(spawned)") }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(atPath: log)
    guard status == 0 else {
        throw AudioParameterError("bench", "\(arguments.joined(separator: " ")) failed (status \(status)):\n\(output)")
    }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return MeasuredRun(wall: wall, user: seconds(usage.ru_utime), system: seconds(usage.ru_stime),
                       peakMB: Double(usage.ru_maxrss) * 1024 / 1e6, output: output)
}
