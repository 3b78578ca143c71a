import Foundation
import EngineFormats
import EngineTensor
import EngineAudio

/// Features cached on disk, one safetensors file per (audio file, parameters) pair.
///
/// The key hashes the file's absolute path, size and modification time together with the canonical
/// JSON of every feature parameter, the front end's version and the C libraries' versions, so a
/// changed file, parameter, feature code, FFT or resampler misses and recomputes. Entries also record
/// that key text in their metadata to rule out hash collisions, and a checksum of their values that
/// is verified on every read: a damaged entry is reported (`Lookup.damaged`) and recomputed.
public struct FeatureCache: Sendable {
    /// The cache folder.
    public let directory: String

    /// The feature front end's version: raise it whenever framing, windows, filterbanks, MFCC or
    /// chunking change their output, so entries computed by older code are not served.
    public static let frontEndVersion = 2

    /// The C libraries' versions (FFT, resampler, decoder, BLAS), read once per process.
    package static let libraries = JSONValue.object(LibraryVersions.current.mapValues(JSONValue.string))

    /// What a look-up found.
    public enum Lookup: Sendable {
        /// A valid entry.
        case hit(StoredTensor)
        /// No entry for this key.
        case miss
        /// An entry that is unreadable or whose values fail their checksum; the reason says which.
        case damaged(String)
    }

    /// A cache in `directory` (created if missing).
    public init(directory: String) throws {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw DataError("cannot create feature cache folder \(directory): \(error.localizedDescription)")
        }
        self.directory = directory
    }

    /// The cached tensor for `path` under `parameters`: a hit, a miss (none, or another key's
    /// entry), or a damaged entry (unreadable, no checksum, or values that fail it).
    public func lookup(path: String, parameters: JSONValue) throws -> Lookup {
        let (key, file) = try entry(path: path, parameters: parameters)
        guard FileManager.default.fileExists(atPath: file) else { return .miss }
        let stored: SafeTensors
        do { stored = try SafeTensors.read(path: file) } catch { return .damaged("unreadable (\(error))") }
        guard stored.metadata["key"] == key else { return .miss }
        guard let tensor = stored.tensors["features"], let checksum = stored.metadata["checksum"] else {
            return .damaged("no features or no checksum")
        }
        guard checksum == Self.checksum(tensor) else { return .damaged("checksum mismatch") }
        return .hit(tensor)
    }

    /// Stores `tensor` as the features of `path` under `parameters` (atomically), with its checksum.
    public func store(_ tensor: StoredTensor, path: String, parameters: JSONValue) throws {
        let (key, file) = try entry(path: path, parameters: parameters)
        try SafeTensors(tensors: ["features": tensor], metadata: ["key": key, "checksum": Self.checksum(tensor)])
            .write(path: file)
    }

    /// FNV-1a (64-bit, hex) of a tensor's shape and value bytes.
    static func checksum(_ tensor: StoredTensor) -> String {
        var hash = fnv1a64(tensor.shape.map(String.init).joined(separator: ","))
        tensor.values.withUnsafeBytes { bytes in
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        return String(hash, radix: 16)
    }

    /// The key text and entry file for a source file and parameters.
    package func entry(path: String, parameters: JSONValue) throws -> (key: String, file: String) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: absolute) } catch {
            throw DataError("\(path): cannot read the file's size and date for the feature cache")
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let key = JSONValue.object(["file": .string(absolute), "size": .number(Double(size)),
                                    "modified": .number(modified), "parameters": parameters,
                                    "frontend": .number(Double(Self.frontEndVersion)), "libraries": Self.libraries]).encoded()
        let name = String(Self.fnv1a64(key), radix: 16) + ".safetensors"
        return (key, (directory as NSString).appendingPathComponent(name))
    }

    /// 64-bit FNV-1a: a stable hash (Swift's `Hasher` is seeded per process).
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}

/// How `featurize` obtained its tensors.
public struct FeaturizeResult: Sendable {
    /// One tensor per input path, in input order.
    public var tensors: [StoredTensor]
    /// How many were computed now.
    public var computed: Int
    /// How many came from the cache.
    public var reused: Int
    /// Damaged cache entries that were recomputed, as "path: reason" (worth a warning).
    public var damaged: [String] = []
}

/// A clip whose features could not be computed; names the clip.
public struct FeaturizeError: Error, CustomStringConvertible {
    /// The clip at fault.
    public var path: String
    /// The underlying error.
    public var underlying: Error
    public var description: String { "featurizing \(path): \(underlying)" }
}

/// Computes features for every path on all cores, reusing and filling `cache` when given.
/// `parameters` must describe everything `compute` depends on (it is part of the cache key).
/// The first failing clip (in input order) is reported by name.
public func featurize(_ paths: [String], cache: FeatureCache?, parameters: JSONValue,
                      compute: @Sendable (String) throws -> StoredTensor) throws -> FeaturizeResult {
    try featurize(paths.map { ($0, parameters) }, cache: cache) { try compute(paths[$0]) }
}

/// Computes features for every item on all cores, reusing and filling `cache` when given. Each item
/// names its source file and the parameters its features depend on besides that file (e.g. the
/// augmentation that made it); `compute(i)` makes item `i`'s features.
public func featurize(_ items: [(path: String, parameters: JSONValue)], cache: FeatureCache?,
                      compute: (Int) throws -> StoredTensor) throws -> FeaturizeResult {
    let outcomes = try AudioBatch.map(count: items.count) { index -> (StoredTensor, Bool, String?) in
        let (path, parameters) = items[index]
        do {
            var damage: String?
            switch try cache?.lookup(path: path, parameters: parameters) {
            case .hit(let tensor)?: return (tensor, false, nil)
            case .damaged(let reason)?: damage = "\(path): \(reason)"
            case .miss?, nil: break
            }
            let tensor = try compute(index)
            guard tensor.values.count == tensor.shape.reduce(1, *) else {
                throw DataError("features have shape \(tensor.shape) but \(tensor.values.count) values")
            }
            try cache?.store(tensor, path: path, parameters: parameters)
            return (tensor, true, damage)
        } catch {
            throw FeaturizeError(path: path, underlying: error)
        }
    }
    let computed = outcomes.filter(\.1).count
    return FeaturizeResult(tensors: outcomes.map(\.0), computed: computed, reused: outcomes.count - computed,
                           damaged: outcomes.compactMap(\.2))
}
