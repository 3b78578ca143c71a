import Foundation
import Runtime

setvbuf(stdout, nil, _IOFBF, 1 << 16)
let status: Int32
do {
    let command = try Options.parse(Array(CommandLine.arguments.dropFirst()), stdinIsTerminal: isatty(0) == 1)
    switch command {
    case .version:
        print("serscript \(SERScriptVersion.current)")
        status = 0
    case .help:
        print(Options.usage)
        status = 0
    case .listBuiltins(let markdown):
        print(Help.table(BuiltinRegistry.standard, markdown: markdown))
        status = 0
    case .run(let source, let options):
        status = ScriptRunner.run(source, options)
    case .check(let path):
        status = ScriptRunner.check(path)
    case .sweep(let path, let grid, let jobs, let options):
        status = Sweep(path: path, grid: grid, jobs: jobs, options: options).run()
    case .demoCorpus(let command):
        status = command.run()
    case .rerun(let rerun):
        status = rerun.run()
    case .predict(let arguments):
        status = PredictCommand.run(arguments)
    case .resume(let folder):
        status = Resume.run(folder)
    case .repl(let options):
        status = Repl(options: options).run()
    }
} catch {
    fputs("serscript: \(error)\n\n\(Options.usage)\n", stderr)
    status = 2
}
fflush(stdout)
exit(status)
