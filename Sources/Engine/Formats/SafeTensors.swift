import Foundation

/// One named tensor as stored in a safetensors file: a shape and row-major float32 values.
public struct StoredTensor: Equatable, Sendable {
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// Row-major values; `values.count` is the product of `shape`.
    public var values: [Float]

    public init(shape: [Int], values: [Float]) {
        self.shape = shape
        self.values = values
    }
}

/// A safetensors file that could not be read or written; names the file and the fault.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable {
    /// The file at fault.
    public var path: String
    /// What is wrong with it.
    public var reason: String
    public var description: String { "\(path): \(reason)" }

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The safetensors format (8-byte little-endian header length, JSON header, raw data):
/// the checkpoint and fixture format, readable by PyTorch and numpy tooling.
///
/// Values are float32 in memory; F64, F16-free integer dtypes (I64, I32, I16, I8, U8) are
/// converted to float32 on reading. Writing always stores F32.
public struct SafeTensors: Equatable, Sendable {
    /// Tensors by name.
    public var tensors: [String: StoredTensor]
    /// Free-form string metadata (`__metadata__` in the header).
    public var metadata: [String: String]

    public init(tensors: [String: StoredTensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// Reads and validates the file at `path`.
    public static func read(path: String) throws -> SafeTensors {
        func fail(_ reason: String) -> SafeTensorsError { SafeTensorsError(path: path, reason: reason) }
        guard let data = FileManager.default.contents(atPath: path) else { throw fail("no such file or unreadable") }
        guard data.count >= 8 else { throw fail("too short for a safetensors header (\(data.count) bytes)") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail("header claims \(headerLength) bytes but the file has \(data.count - 8) after the length")
        }
        let headerEnd = 8 + Int(headerLength)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<headerEnd)) } catch {
            throw fail("header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw fail("header is not a JSON object") }
        let payload = data.subdata(in: headerEnd..<data.count)
        var result = SafeTensors()
        for (name, entry) in header {
            if name == "__metadata__" {
                guard let meta = entry as? [String: String] else { throw fail("__metadata__ must map strings to strings") }
                result.metadata = meta
                continue
            }
            guard let fields = entry as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int],
                  offsets.count == 2 else { throw fail("tensor '\(name)' has a malformed header entry") }
            guard let width = Self.byteWidth[dtype] else { throw fail("tensor '\(name)' has unsupported dtype \(dtype)") }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("tensor '\(name)' has a negative dimension in \(shape)") }
            // Sizes are checked against the data in hand before any arithmetic can overflow.
            let bytes = shape.reduce(Double(width)) { $0 * Double($1) }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= payload.count, Double(end - begin) == bytes else {
                throw fail("tensor '\(name)' (\(dtype) \(shape)) has data offsets \(offsets) that do not fit "
                           + "its size or the file's \(payload.count) data bytes")
            }
            result.tensors[name] = StoredTensor(shape: shape, values: decode(payload, begin, (end - begin) / width, dtype))
        }
        return result
    }

    /// Writes all tensors as F32 to `path` atomically: a temporary file beside it, then a rename,
    /// so a crash mid-write never leaves a half-written checkpoint under the real name.
    public func write(path: String) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let names = tensors.keys.sorted()
        for name in names {
            guard let tensor = tensors[name] else { continue }
            guard tensor.shape.reduce(1, *) == tensor.values.count else {
                throw SafeTensorsError(path: path, reason: "tensor '\(name)' has shape \(tensor.shape) "
                                       + "but \(tensor.values.count) values")
            }
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + 4 * tensor.values.count]]
            offset += 4 * tensor.values.count
        }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        headerBytes.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8))
        var file = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(headerBytes)
        for name in names {
            tensors[name]?.values.withUnsafeBufferPointer { file.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try file.write(to: temporary)
            // POSIX rename replaces an existing file atomically (Foundation's replaceItemAt fails
            // on Linux when the destination exists).
            guard rename(temporary.path, url.path) == 0 else {
                throw SafeTensorsError(path: path, reason: "cannot replace: \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw (error as? SafeTensorsError) ?? SafeTensorsError(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    private static let byteWidth: [String: Int] = ["F32": 4, "F64": 8, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1]

    private static func decode(_ payload: Data, _ begin: Int, _ count: Int, _ dtype: String) -> [Float] {
        payload.withUnsafeBytes { raw -> [Float] in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[begin...])
            func load<T>(_: T.Type, _ convert: (T) -> Float) -> [Float] {
                (0..<count).map { convert(bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
            }
            switch dtype {
            case "F64": return load(Double.self) { Float($0) }
            case "I64": return load(Int64.self) { Float($0) }
            case "I32": return load(Int32.self) { Float($0) }
            case "I16": return load(Int16.self) { Float($0) }
            case "I8": return load(Int8.self) { Float($0) }
            case "U8": return load(UInt8.self) { Float($0) }
            default:   // F32, the common case: one copy rather than a load per value
                return [Float](unsafeUninitializedCapacity: count) { out, initialized in
                    if let target = out.baseAddress, let source = bytes.baseAddress, count > 0 {
                        UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * 4)
                    }
                    initialized = count
                }
            }
        }
    }
}
