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
///
/// Which entries are written is the `policy`'s decision (docs/featurising.md): by default only those
/// that took clearly longer to compute than they take to read back. A read refreshes the entry's
/// modification time, so `evict()` removes the least recently used entries first.
public struct FeatureCache: Sendable {
    /// The cache folder.
    public let directory: String
    /// Which computed features are written.
    public var policy: FeatureCachePolicy
    /// The most bytes of entries `evict()` keeps.
    public var limitBytes: Int64

    /// The feature front end's version: raise it whenever framing, windows, filterbanks, MFCC or
    /// chunking change their output, so entries computed by older code are not served.
    public static let frontEndVersion = 2

    /// The entry layout's version (2: word-wise checksum). Part of the key, so entries of another
    /// layout miss instead of failing their checksum.
    static let formatVersion = 2

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

    /// A cache in `directory` (created if missing) that writes what `policy` allows and keeps at
    /// most `limitBytes` of entries when evicting.
    public init(directory: String, policy: FeatureCachePolicy = .whenCostly,
                limitBytes: Int64 = FeatureCacheLimit.default) throws {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw DataError("cannot create feature cache folder \(directory): \(error.localizedDescription)")
        }
        self.directory = directory
        self.policy = policy
        self.limitBytes = limitBytes
    }

    /// The cached tensor for `path` under `parameters`: a hit, a miss (none, or another key's
    /// entry), or a damaged entry (unreadable, no checksum, or values that fail it).
    public func lookup(path: String, parameters: JSONValue) throws -> Lookup {
        let (key, file) = try entry(path: path, parameters: parameters)
        guard FileManager.default.fileExists(atPath: file) else { return .miss }
        let stored: SafeTensors
        do { stored = try SafeTensors.read(path: file) } catch {
            // Evicted by another process between the check and the read: simply not there.
            return FileManager.default.fileExists(atPath: file) ? .damaged("unreadable (\(error))") : .miss
        }
        guard stored.metadata["key"] == key else { return .miss }
        guard let tensor = stored.tensors["features"], let checksum = stored.metadata["checksum"] else {
            return .damaged("no features or no checksum")
        }
        guard checksum == Self.checksum(tensor) else { return .damaged("checksum mismatch") }
        utimes(file, nil)   // now: the entry was just used (least recently used goes first)
        return .hit(tensor)
    }

    /// Stores `tensor` as the features of `path` under `parameters` (atomically), with its checksum.
    public func store(_ tensor: StoredTensor, path: String, parameters: JSONValue) throws {
        let (key, file) = try entry(path: path, parameters: parameters)
        try SafeTensors(tensors: ["features": tensor], metadata: ["key": key, "checksum": Self.checksum(tensor)])
            .write(path: file)
    }

    /// FNV-1a (64-bit, hex) of a tensor's shape, then of its values a word at a time.
    static func checksum(_ tensor: StoredTensor) -> String {
        let shape = FNV1a.hash(tensor.shape.map(String.init).joined(separator: ","))
        return String(tensor.values.withUnsafeBytes { FNV1a.hash(words: $0, continuing: shape) }, radix: 16)
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
                                    "frontend": .number(Double(Self.frontEndVersion)),
                                    "format": .number(Double(Self.formatVersion)), "libraries": Self.libraries]).encoded()
        let name = String(FNV1a.hash(key), radix: 16) + FeatureCacheFolder.entrySuffix
        return (key, (directory as NSString).appendingPathComponent(name))
    }
}
