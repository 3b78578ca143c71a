import CZlib
import Foundation

/// numpy's `.npy` format (version 1.0, little-endian float32, C order) and `.npz` archives of them,
/// so tensors and features go to Python as `np.load(path)`.
public enum NumpyFile {
    /// The `.npy` bytes of one tensor: magic, version, a padded header dict, the raw values.
    public static func npy(_ tensor: StoredTensor) -> Data {
        let shape = tensor.shape.count == 1 ? "(\(tensor.shape[0]),)" : "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        // numpy pads with spaces and a newline so the data starts 64-byte aligned.
        let used = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - used % 64) % 64) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        withUnsafeBytes(of: UInt16(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        tensor.values.withUnsafeBufferPointer { data.append(UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) }
        return data
    }

    /// Writes `tensors` to `path`: one `.npy` when the path ends in `.npy` (exactly one tensor), else
    /// an `.npz` (a stored zip of `<name>.npy` entries) that `np.load` reads as a dict.
    public static func write(_ tensors: [(name: String, tensor: StoredTensor)], path: String) throws {
        let data: Data
        if path.hasSuffix(".npy") {
            guard tensors.count == 1, let only = tensors.first else {
                throw SafeTensorsError(path: path, reason: "a .npy file holds one array; \(tensors.count) given (use .npz or .safetensors)")
            }
            data = npy(only.tensor)
        } else {
            data = storedZip(tensors.map { ("\($0.name).npy", npy($0.tensor)) })
        }
        do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw SafeTensorsError(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// A zip archive of uncompressed entries (what `np.savez` writes).
    static func storedZip(_ entries: [(name: String, data: Data)]) -> Data {
        var archive = Data(), directory = Data()
        func u16(_ value: Int, _ into: inout Data) { withUnsafeBytes(of: UInt16(value).littleEndian) { into.append(contentsOf: $0) } }
        func u32(_ value: Int, _ into: inout Data) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { into.append(contentsOf: $0) } }
        for (name, data) in entries {
            let crc = data.withUnsafeBytes { Int(CZlib.crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
            let offset = archive.count
            let fields = [(20, 2), (0, 2), (0, 2), (0, 2), (0x21, 2), (crc, 4), (data.count, 4), (data.count, 4), (name.utf8.count, 2), (0, 2)]
            u32(0x0403_4B50, &archive)
            for (value, width) in fields { width == 2 ? u16(value, &archive) : u32(value, &archive) }
            archive.append(contentsOf: Array(name.utf8))
            archive.append(data)
            u32(0x0201_4B50, &directory)
            u16(20, &directory)
            for (value, width) in fields { width == 2 ? u16(value, &directory) : u32(value, &directory) }
            for (value, width) in [(0, 2), (0, 2), (0, 2), (0, 4), (offset, 4)] { width == 2 ? u16(value, &directory) : u32(value, &directory) }
            directory.append(contentsOf: Array(name.utf8))
        }
        let directoryOffset = archive.count
        archive.append(directory)
        u32(0x0605_4B50, &archive)
        for (value, width) in [(0, 2), (0, 2), (entries.count, 2), (entries.count, 2), (directory.count, 4), (directoryOffset, 4), (0, 2)] {
            width == 2 ? u16(value, &archive) : u32(value, &archive)
        }
        return archive
    }
}
