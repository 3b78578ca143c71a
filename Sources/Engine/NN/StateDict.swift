import EngineFormats
import EngineTensor

/// A state dict that does not fit a model: every missing key, unexpected key and shape mismatch at once.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    /// Keys the model has but the state dict lacks.
    public var missing: [String]
    /// Keys the state dict has but the model lacks.
    public var unexpected: [String]
    /// Keys present in both whose shapes differ: `key: model [..] vs state dict [..]`.
    public var mismatched: [String]

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing keys: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { parts.append("unexpected keys: " + unexpected.joined(separator: ", ")) }
        if !mismatched.isEmpty { parts.append("shape mismatches: " + mismatched.joined(separator: "; ")) }
        return "state dict does not fit the model — " + parts.joined(separator: " | ")
    }
}

extension Module {
    /// Every parameter and buffer by its PyTorch state-dict key, as copies.
    public func stateDict() -> [String: StoredTensor] {
        var result: [String: StoredTensor] = [:]
        for (key, tensor) in namedParameters() + namedBuffers() {
            result[key] = StoredTensor(shape: tensor.shape, values: tensor.values)
        }
        return result
    }

    /// Copies `state` into the parameters and buffers in place (optimizers holding them keep working).
    /// Checks everything first and throws one `StateDictError` naming every shape mismatch and, when
    /// `strict` (PyTorch's default), every missing or unexpected key; on error nothing is changed.
    /// Non-strict loading fills the keys both sides have and leaves the others alone.
    public func loadStateDict(_ state: [String: StoredTensor], strict: Bool = true) throws {
        let entries = namedParameters() + namedBuffers()
        var error = StateDictError(missing: [], unexpected: [], mismatched: [])
        let known = Set(entries.map(\.name))
        for (key, tensor) in entries {
            guard let stored = state[key] else {
                if strict { error.missing.append(key) }
                continue
            }
            if stored.shape != tensor.shape || stored.values.count != tensor.count {
                error.mismatched.append("\(key): model \(tensor.shape) vs state dict \(stored.shape)")
            }
        }
        if strict { error.unexpected = state.keys.filter { !known.contains($0) }.sorted() }
        guard error.missing.isEmpty, error.unexpected.isEmpty, error.mismatched.isEmpty else { throw error }
        for (key, tensor) in entries {
            guard let stored = state[key] else { continue }
            stored.values.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                tensor.storage.pointer.update(from: base, count: tensor.count)
            }
        }
    }
}
