import ArgumentParser
import Engine
import Foundation

/// `serscript export BUNDLE MODEL.onnx`: a model bundle written as an ONNX model (Engine's ONNXExport).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model bundle as an ONNX model (opset 17).",
        discussion: """
        The ONNX file takes the bundle's features before scaling — input `features` of shape \
        [N, …one example's shape…] (e.g. [N, 1, 128, 563]) — applies the bundle's scaler as its first \
        nodes and gives `logits` and `probabilities` [N, classes]; the class names are in its metadata \
        (`classes`). Exit status: 0 written, 1 the model has a layer without an ONNX form, 2 a usage \
        error, an unusable bundle or an unwritable path.

        EXAMPLES:
          serscript export runs/pct/models/parallel_cnn_transformer.bundle.safetensors pct.onnx
        """)

    @Argument(help: ArgumentHelp("A model bundle written by save(…, features: …).", valueName: "bundle"), completion: .file())
    var bundle: String

    @Argument(help: ArgumentHelp("The ONNX file to write.", valueName: "model.onnx"), completion: .file())
    var output: String

    func run() throws {
        let loaded: ModelBundle
        do { loaded = try ModelBundle.read(path: bundle) } catch {
            fputs("serscript export: \(error)\n", stderr)
            throw ExitCode(ExitStatus.usage)
        }
        let data: Data
        do { data = try ONNXExport.serialize(bundle: loaded) } catch {
            fputs("serscript export: \(bundle): \(error)\n", stderr)
            throw ExitCode(ExitStatus.scriptError)
        }
        do { try ONNXExport.write(data, path: output) } catch {
            fputs("serscript export: \(error)\n", stderr)
            throw ExitCode(ExitStatus.usage)
        }
        print("wrote \(output) (\(data.count) bytes, opset \(ONNXExport.opset), input \(ONNXExport.inputName) "
              + "\(["N"] + (try ONNXExport.inputShape(of: loaded)).map(String.init)), \(loaded.classNames.count) classes)")
    }
}
