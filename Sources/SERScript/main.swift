import Foundation
import Runtime

let usage = """
serscript \(SERScriptVersion.current) — speech emotion recognition, scripted

USAGE:
  serscript --version        print the version
  serscript --help           print this help
"""

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "--version", "-V":
    print("serscript \(SERScriptVersion.current)")
case "--help", "-h", nil:
    print(usage)
default:
    FileHandle.standardError.write(Data("serscript: unknown argument '\(arguments[0])'\n\n\(usage)\n".utf8))
    exit(2)
}
