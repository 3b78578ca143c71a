import Foundation

/// The `serscript` executable SwiftPM built beside this test bundle.
var serscriptBinary: URL {
    Bundle.main.bundleURL.appendingPathComponent("serscript")
}

/// Runs `serscript` with `arguments`, optional standard input, and returns its exit status and output.
func runSerscript(_ arguments: [String], stdin: String? = nil,
                  in directory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = serscriptBinary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    let stderrData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdoutData, as: UTF8.self),
            String(decoding: stderrData, as: UTF8.self))
}
