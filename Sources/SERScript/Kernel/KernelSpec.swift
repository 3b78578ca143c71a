import Engine
import Foundation

/// The kernelspec Jupyter finds the kernel by: `kernels/serscript/kernel.json` under a Jupyter
/// data folder, starting this executable as `serscript kernel -f {connection_file}`.
enum KernelSpec {
    static let name = "serscript"

    /// `kernel.json` for `executable`; file extension, MIME type and CodeMirror mode also go in its
    /// metadata, for front ends that read them before the kernel starts.
    static func json(executable: String, displayName: String) -> JSONValue {
        [
            "argv": [.string(executable), "kernel", "-f", "{connection_file}"],
            "display_name": .string(displayName), "language": "serscript", "interrupt_mode": "signal",
            "metadata": ["file_extension": ".sers", "mimetype": "text/x-serscript", "codemirror_mode": "python"],
        ]
    }

    /// The `kernels` folder: `PREFIX/share/jupyter/kernels`; with `user`, the user's Jupyter data
    /// folder (`$JUPYTER_DATA_DIR`, else `$XDG_DATA_HOME/jupyter` or `~/.local/share/jupyter`,
    /// `~/Library/Jupyter` on macOS); else the system-wide `/usr/local/share/jupyter/kernels`.
    static func kernelsFolder(user: Bool, prefix: String?) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let prefix { return (prefix as NSString).appendingPathComponent("share/jupyter/kernels") }
        guard user else { return "/usr/local/share/jupyter/kernels" }
        if let data = environment["JUPYTER_DATA_DIR"], !data.isEmpty { return (data as NSString).appendingPathComponent("kernels") }
        let home = NSHomeDirectory()
        #if os(macOS)
        return (home as NSString).appendingPathComponent("Library/Jupyter/kernels")
        #else
        let xdg = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (home as NSString).appendingPathComponent(".local/share")
        return (xdg as NSString).appendingPathComponent("jupyter/kernels")
        #endif
    }

    /// Writes the kernelspec into `kernels/<name>/`; returns that folder.
    static func install(into kernels: String, name: String, displayName: String, executable: String) throws -> String {
        let folder = (kernels as NSString).appendingPathComponent(name)
        let file = (folder as NSString).appendingPathComponent("kernel.json")
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try (json(executable: executable, displayName: displayName).encoded(pretty: true) + "\n")
                .write(toFile: file, atomically: true, encoding: .utf8)
        } catch {
            throw UsageError(description: "cannot write \(file): \(error.localizedDescription)")
        }
        return folder
    }

    /// This executable's absolute path, which the kernelspec starts.
    static var executablePath: String {
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
