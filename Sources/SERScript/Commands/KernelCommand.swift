import ArgumentParser
import Foundation

/// `serscript kernel -f CONNECTION.json` (a Jupyter kernel) and `serscript kernel install`.
struct KernelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernel",
        abstract: "Run serscript as a Jupyter kernel, or install its kernelspec.",
        discussion: """
        Jupyter starts the kernel itself once the kernelspec is installed; see docs/jupyter.md.

        EXAMPLES:
          serscript kernel install --user
          serscript kernel install --prefix "$VIRTUAL_ENV"
          serscript kernel -f /path/to/kernel-1234.json
        """,
        subcommands: [KernelStartCommand.self, KernelInstallCommand.self],
        defaultSubcommand: KernelStartCommand.self)
}

/// `serscript kernel [start] -f CONNECTION.json`: serve the Jupyter messaging protocol.
struct KernelStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Run the kernel on a Jupyter connection file (what the kernelspec starts).",
        discussion: """
        EXAMPLES:
          serscript kernel -f kernel-1234.json
          serscript kernel -f kernel-1234.json --seed 1 --out runs/notebook
        """)

    @Option(name: [.customShort("f"), .customLong("connection-file")], help: "The connection file Jupyter wrote.",
            completion: .file(extensions: ["json"]))
    var connectionFile: String

    @OptionGroup var runOptions: RunOptionGroup

    func validate() throws {
        if runOptions.cells != nil { throw ValidationError("--cells does not apply to a kernel: the notebook chooses what runs") }
    }

    func run() throws {
        let connection: ConnectionInfo
        do { connection = try ConnectionInfo(path: connectionFile) } catch {
            throw UsageError(description: "\(error)")
        }
        let kernel = try Kernel(connection: connection, options: try runOptions.options())
        try finish(kernel.run())
    }
}

/// `serscript kernel install [--user | --prefix DIR]`: write the kernelspec.
struct KernelInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install the kernelspec so Jupyter (JupyterLab, Notebook, VS Code) offers serscript.",
        discussion: """
        Without --user or --prefix it goes to /usr/local/share/jupyter/kernels (system-wide).

        EXAMPLES:
          serscript kernel install --user
          serscript kernel install --prefix .venv
        """)

    @Flag(help: "Install for this user only (the Jupyter data folder, e.g. ~/.local/share/jupyter/kernels).")
    var user = false

    @Option(help: ArgumentHelp("Install under DIR/share/jupyter/kernels (e.g. a virtualenv).", valueName: "dir"),
            completion: .directory)
    var prefix: String?

    @Option(help: "The kernelspec's folder name.")
    var name = KernelSpec.name

    @Option(help: "The name notebooks show.")
    var displayName = "serscript"

    func validate() throws {
        if user && prefix != nil { throw ValidationError("--user and --prefix exclude each other") }
        if name.isEmpty || name.contains("/") { throw ValidationError("--name must be a plain folder name, got '\(name)'") }
    }

    func run() throws {
        let folder = try KernelSpec.install(into: KernelSpec.kernelsFolder(user: user, prefix: prefix), name: name,
                                            displayName: displayName, executable: KernelSpec.executablePath)
        print("installed kernelspec \(name) in \(folder)")
    }
}
