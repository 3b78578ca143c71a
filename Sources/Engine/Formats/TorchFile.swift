import Foundation

/// A PyTorch file that could not be read as a state dict; names the file (and key) and the fault.
public struct TorchFileError: Error, CustomStringConvertible, Equatable {
    /// The file at fault.
    public var path: String
    /// What is wrong with it.
    public var reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Reads the tensors of a PyTorch `.pt` / `.pth` file written by `torch.save` (the zip format of
/// PyTorch ≥ 1.6) without running any of its code: the pickle goes through a restricted unpickler
/// that knows only containers, `collections.OrderedDict`, the tensor and parameter rebuild functions
/// and the typed storages. Any other global (a pickled model class, `os.system`, …) is an error.
///
/// Tensors of any float or integer dtype become float32; views (offsets, strides, shared storages)
/// are resolved against their storage with every index bounds-checked.
public enum TorchFile {
    /// Whether `data` is a `torch.save` zip archive (or, for the error message, a legacy pickle).
    public static func looksLikeTorch(_ data: Data) -> Bool {
        ZipArchive.looksLikeZip(data) || (data.count >= 2 && data[data.startIndex] == 0x80 && data[data.startIndex + 1] <= 5)
    }

    /// The state dict in the file at `path`: its tensors by PyTorch key. A checkpoint dict holding
    /// the state dict under `state_dict`, `model_state_dict` or `model` gives that state dict.
    public static func readStateDict(path: String) throws -> [String: StoredTensor] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TorchFileError(path: path, reason: "no such file or unreadable")
        }
        return try stateDict(from: try read(data: data, path: path), path: path)
    }

    /// The value the file's pickle builds, with tensors as `.opaque(TorchTensor)`.
    public static func read(data: Data, path: String) throws -> PickleValue {
        guard ZipArchive.looksLikeZip(data) else {
            if data.count >= 2, data[data.startIndex] == 0x80 {
                throw TorchFileError(path: path, reason: "legacy (pre-1.6, non-zip) torch.save format is not read; "
                                     + "re-save it with a current PyTorch: torch.save(torch.load(f), g)")
            }
            throw TorchFileError(path: path, reason: "not a PyTorch file (no zip header)")
        }
        let archive: ZipArchive
        do { archive = try ZipArchive(data: data, path: path) } catch let error as ZipArchiveError {
            throw TorchFileError(path: path, reason: error.reason)
        }
        // torch.save puts everything under one top folder, named after the file (`archive/` by default).
        guard let pickleName = archive.names.first(where: { $0.hasSuffix("data.pkl") && $0.split(separator: "/").count == 2 }) else {
            throw TorchFileError(path: path, reason: "zip archive has no <folder>/data.pkl: not written by torch.save")
        }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        if let order = try archive.contents(of: prefix + "byteorder"), String(decoding: order, as: UTF8.self) != "little" {
            throw TorchFileError(path: path, reason: "tensors are stored big-endian; only little-endian files are read")
        }
        guard let pickle = try archive.contents(of: pickleName) else {
            throw TorchFileError(path: path, reason: "cannot read \(pickleName)")
        }
        let storages = TorchStorages(archive: archive, prefix: prefix, path: path)
        var unpickler = Unpickler(pickle, hooks: TorchWhitelist.hooks(storages: storages, path: path))
        do {
            return try unpickler.load()
        } catch let error as UnpicklerError {
            throw TorchFileError(path: path, reason: "\(pickleName) \(error.reason)")
        }
    }

    /// The flat key → tensor map of a loaded value (see `readStateDict`).
    static func stateDict(from value: PickleValue, path: String) throws -> [String: StoredTensor] {
        guard case .dict(let dict) = value else {
            throw TorchFileError(path: path, reason: "holds a \(value.kind), not a state dict (save model.state_dict())")
        }
        if let tensors = tensors(of: dict) { return tensors }
        for name in ["state_dict", "model_state_dict", "model"] {
            if case .dict(let inner)? = dict[name], let tensors = tensors(of: inner) { return tensors }
        }
        let keys = dict.entries.prefix(12).map { entry -> String in
            if case .string(let name) = entry.key { return name }
            return entry.key.kind
        }.joined(separator: ", ")
        throw TorchFileError(path: path, reason: "is a dict but not a state dict of tensors, and has no state_dict / "
                             + "model_state_dict / model entry that is one (keys: \(keys))")
    }

    /// The dict as key → tensor when every key is a string and every value a tensor.
    private static func tensors(of dict: PickleDict) -> [String: StoredTensor]? {
        var result: [String: StoredTensor] = [:]
        for (key, value) in dict.entries {
            guard case .string(let name) = key, case .opaque(let object) = value, let tensor = object as? TorchTensor else { return nil }
            result[name] = tensor.stored
        }
        return result.isEmpty ? nil : result
    }
}

/// A tensor rebuilt from a pickle: float32 values gathered from its storage.
public final class TorchTensor {
    public let stored: StoredTensor
    init(_ stored: StoredTensor) { self.stored = stored }
}
