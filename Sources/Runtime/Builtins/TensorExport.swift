import Engine
import Foundation

extension BuiltinRegistry {
    /// Handing tensors and features to Python: safetensors, `.npy` and `.npz` files.
    func registerTensorExport() {
        domain = "Tensor"
        function("save_tensors", [Parameter("tensors"), Parameter("path")],
                 doc: "Writes tensors for Python: `tensors` is a dict `{name: tensor, …}`, a FeatureSet (saved as `x`, its inputs, and `y`, its class indices, with the class names in the metadata) or one tensor (saved as `x`). The format follows `path`: `.safetensors` (float32, `safetensors.numpy.load_file(path)`), `.npz` (`np.load(path)[name]`) or `.npy` (one tensor, `np.load(path)`). Relative paths go into the run folder; returns the path.") { a in
            let path = try RunPaths.output(try a.string("path"), a.interpreter)
            var metadata: [String: String] = [:]
            let tensors = try Self.namedTensors(a["tensors"], metadata: &metadata)
            if path.hasSuffix(".safetensors") {
                try SafeTensors(tensors: Dictionary(tensors.map { ($0.name, $0.tensor) }) { first, _ in first }, metadata: metadata)
                    .write(path: path)
            } else if path.hasSuffix(".npy") || path.hasSuffix(".npz") {
                try NumpyFile.write(tensors, path: path)
            } else {
                throw BuiltinError("save_tensors: \(path): the name must end in .safetensors, .npz or .npy")
            }
            return .string(path)
        }
    }

    /// The tensors a `save_tensors` argument stands for, in order, with names.
    private static func namedTensors(_ value: Value, metadata: inout [String: String]) throws -> [(name: String, tensor: StoredTensor)] {
        if case .object(let object) = value, let set = object as? FeatureSet {
            metadata["classes"] = set.classNames.joined(separator: ",")
            return [("x", set.inputs.stored), ("y", StoredTensor(shape: [set.labels.count], values: set.labels.map(Float.init)))]
        }
        guard case .dict(let dict) = value else { return [("x", try TensorLiteral.tensor(of: value).stored)] }
        guard dict.count > 0 else { throw BuiltinError("save_tensors: the dict of tensors is empty") }
        return try dict.keys.map { key in
            guard case .string(let name) = key, !name.isEmpty else {
                throw BuiltinError("save_tensors: tensor names must be non-empty strings, got \(key.value.repr)")
            }
            do { return (name, try TensorLiteral.tensor(of: dict[key] ?? .null).stored) } catch let error as BuiltinError {
                throw BuiltinError("save_tensors: '\(name)' \(error.description)")
            }
        }
    }
}
