import ArgumentParser
import Engine
import Foundation

setvbuf(stdout, nil, _IOFBF, 1 << 16)

/// Parses the command line and runs the chosen subcommand. Exit status: 0, 1 script error,
/// 2 usage error (a short usage line on stderr, not the whole help), 3 rerun differs, 130 interrupted.
func main() -> Int32 {
    var arguments = Array(CommandLine.arguments.dropFirst())
    // The older spelling of `serscript list-builtins`.
    if arguments.first == "--list-builtins" { arguments[0] = ListBuiltinsCommand.configuration.commandName! }
    do {
        var command = try Serscript.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch {
        let code = Serscript.exitCode(for: error)
        let message = Serscript.fullMessage(for: error)
        if code == .success {
            print(message)
            return 0
        }
        fflush(stdout)
        if !message.isEmpty { fputs(message + "\n", stderr) }
        return code == .validationFailure ? ExitStatus.usage : code.rawValue
    }
}

// Under mpirun every rank joins the job first (nothing happens without mpirun).
do { try Cluster.start() } catch {
    fputs("serscript: cannot join the MPI job: \(error)\n", stderr)
    exit(ExitStatus.scriptError)
}
let status = main()
fflush(stdout)
Cluster.stop()
exit(status)
