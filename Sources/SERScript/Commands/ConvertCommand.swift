import ArgumentParser
import Engine
import Foundation

/// `serscript convert IN OUT`: a PyTorch `.pt` (or any weight file serscript reads) to safetensors.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert model weights (a PyTorch .pt/.pth state dict, a checkpoint) to a plain safetensors file.",
        discussion: """
        The input is read without running any of its code: a .pt file may hold only tensors and \
        containers (a state dict, or a checkpoint dict with a state_dict / model_state_dict / model \
        entry); anything else is refused. Every tensor is written as float32 under its PyTorch key, \
        for load_weights(model, OUT) and for Python's safetensors.

        EXAMPLES:
          serscript convert vgg16_features.pt vgg16_features.safetensors
          serscript convert models/cnn_lstm_model1.pt cnn_lstm.safetensors
        """)

    @Argument(help: ArgumentHelp("Weights to read (.pt, .pth or .safetensors).", valueName: "input"), completion: .file())
    var input: String

    @Argument(help: ArgumentHelp("safetensors file to write.", valueName: "output"), completion: .file(extensions: ["safetensors"]))
    var output: String

    func validate() throws {
        if input == output { throw ValidationError("input and output are the same file") }
    }

    func run() throws {
        do {
            let weights = try WeightFile.convert(input, to: output)
            let scalars = weights.values.reduce(0) { $0 + $1.values.count }
            print("\(output): \(weights.count) tensors, \(scalars) values (float32) from \(input)")
        } catch {
            fputs("serscript convert: \(error)\n", stderr)
            throw ExitCode(ExitStatus.scriptError)
        }
    }
}
