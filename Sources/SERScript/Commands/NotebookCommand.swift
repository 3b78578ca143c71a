import ArgumentParser
import Engine
import Foundation

/// `serscript notebook FILE.sers [-o FILE.ipynb]` and `serscript notebook FILE.ipynb --to sers`.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Convert a script's `# %%` cells into a Jupyter notebook, or a notebook back into a script.",
        discussion: """
        Cell titles become Markdown heading cells; the way back turns a heading followed by code into \
        `# %% Title` again (outputs are dropped). The target format follows from the input's extension \
        unless --to is given; the output defaults to the input's name with the other extension.

        EXAMPLES:
          serscript notebook examples/explore_corpus.sers
          serscript notebook examples/explore_corpus.sers -o explore.ipynb
          serscript notebook explore.ipynb --to sers -o explore.sers
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case ipynb, sers }

    @Argument(help: "A .sers script or an .ipynb notebook.", completion: .file(extensions: ["sers", "ipynb"]))
    var file: String

    @Option(name: .shortAndLong, help: "Where to write (default: FILE with the other extension).")
    var output: String?

    @Option(help: "The format to write: ipynb or sers (default: the other one).")
    var to: Format?

    func run() throws {
        let target = to ?? (file.hasSuffix(".ipynb") ? .sers : .ipynb)
        let destination = output ?? ((file as NSString).deletingPathExtension + "." + target.rawValue)
        guard destination != file else { throw ValidationError("the output would overwrite \(file); give -o") }
        let text: String
        switch target {
        case .ipynb:
            text = try NotebookConversion.notebook(from: try ScriptRunner.load(.file(file))).encoded(pretty: true) + "\n"
        case .sers:
            // Not through the script loader: notebooks with embedded plots exceed its size limit.
            guard let data = FileManager.default.contents(atPath: file) else {
                throw UsageError(description: "\(file): no such file or unreadable")
            }
            let notebook: JSONValue
            do { notebook = try JSONValue.parse(String(decoding: data, as: UTF8.self)) } catch {
                throw UsageError(description: "\(file): not JSON: \(error)")
            }
            text = try NotebookConversion.script(from: notebook, name: file)
        }
        do { try text.write(toFile: destination, atomically: true, encoding: .utf8) } catch {
            throw UsageError(description: "cannot write \(destination): \(error.localizedDescription)")
        }
        print("wrote \(destination)")
    }
}
