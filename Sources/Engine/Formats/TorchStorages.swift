import Foundation

/// One storage of a `torch.save` archive (`<folder>/data/<key>`), decoded to float32 once and
/// shared by every tensor that views it.
final class TorchStorage {
    let key: String
    let values: [Float]
    init(key: String, values: [Float]) { (self.key, self.values) = (key, values) }
}

/// The storages of one archive, read on first use by key.
final class TorchStorages {
    /// Element width in bytes of each storage type torch.save names (`torch.FloatStorage`, …).
    static let widths: [String: Int] = [
        "FloatStorage": 4, "DoubleStorage": 8, "HalfStorage": 2, "BFloat16Storage": 2, "LongStorage": 8,
        "IntStorage": 4, "ShortStorage": 2, "CharStorage": 1, "ByteStorage": 1, "BoolStorage": 1, "UntypedStorage": 1,
    ]

    private let archive: ZipArchive
    private let prefix: String
    private let path: String
    private var loaded: [String: TorchStorage] = [:]

    init(archive: ZipArchive, prefix: String, path: String) {
        (self.archive, self.prefix, self.path) = (archive, prefix, path)
    }

    /// The storage `key` of type `type` holding `count` elements, checked against its entry's size.
    func storage(key: String, type: String, count: Int) throws -> TorchStorage {
        if let storage = loaded[key] { return storage }
        guard let width = Self.widths[type] else { throw fail("storage \(key) has unsupported type torch.\(type)") }
        guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !key.isEmpty else {
            throw fail("storage key '\(key)' is not a plain name")
        }
        guard let bytes = try archive.contents(of: prefix + "data/" + key) else {
            throw fail("storage \(key) (torch.\(type)) has no entry \(prefix)data/\(key)")
        }
        guard count >= 0, count <= bytes.count / width, bytes.count == count * width else {
            throw fail("storage \(key) (torch.\(type)) should hold \(count) elements = \(count) × \(width) bytes but its entry has \(bytes.count)")
        }
        let storage = TorchStorage(key: key, values: Self.decode(bytes, type: type, count: count))
        loaded[key] = storage
        return storage
    }

    private func fail(_ reason: String) -> TorchFileError { TorchFileError(path: path, reason: reason) }

    private static func decode(_ bytes: Data, type: String, count: Int) -> [Float] {
        bytes.withUnsafeBytes { raw -> [Float] in
            func load<T>(_: T.Type, _ convert: (T) -> Float) -> [Float] {
                (0..<count).map { convert(raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
            }
            switch type {
            case "DoubleStorage": return load(Double.self) { Float($0) }
            case "HalfStorage": return load(UInt16.self) { halfToFloat($0) }
            case "BFloat16Storage": return load(UInt16.self) { Float(bitPattern: UInt32($0) << 16) }
            case "LongStorage": return load(Int64.self) { Float($0) }
            case "IntStorage": return load(Int32.self) { Float($0) }
            case "ShortStorage": return load(Int16.self) { Float($0) }
            case "CharStorage": return load(Int8.self) { Float($0) }
            case "ByteStorage", "BoolStorage", "UntypedStorage": return load(UInt8.self) { Float($0) }
            default: return load(Float.self) { $0 }
            }
        }
    }
}

/// IEEE binary16 bits to float32 (exact: every half is a float).
func halfToFloat(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 == 0 ? 1 : -1
    let exponent = Int((bits >> 10) & 0x1F), fraction = Float(bits & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24                     // zero and subnormals
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
