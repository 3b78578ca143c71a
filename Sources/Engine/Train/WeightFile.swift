import Foundation
import EngineFormats

/// Model weights from any file serscript reads them from, told apart by content, not by extension:
/// a PyTorch `torch.save` file (`.pt` / `.pth`), a serscript checkpoint, or a plain safetensors
/// file whose tensor names are state-dict keys.
public enum WeightFile {
    /// The state dict (PyTorch key → float32 tensor) stored in the file at `path`.
    public static func stateDict(path: String) throws -> [String: StoredTensor] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SafeTensorsError(path: path, reason: "no such file or unreadable")
        }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        try? handle.close()
        if TorchFile.looksLikeTorch(head) { return try TorchFile.readStateDict(path: path) }
        let file = try SafeTensors.read(path: path)
        return file.metadata["format"] == nil ? file.tensors : try Checkpoint.read(path: path).weights
    }

    /// Writes the state dict of the file at `source` as a plain safetensors file at `target` (float32,
    /// PyTorch key names), readable by `load_weights` and by `safetensors` in Python; returns it.
    @discardableResult
    public static func convert(_ source: String, to target: String) throws -> [String: StoredTensor] {
        let weights = try stateDict(path: source)
        try SafeTensors(tensors: weights, metadata: ["converted_from": (source as NSString).lastPathComponent]).write(path: target)
        return weights
    }
}
