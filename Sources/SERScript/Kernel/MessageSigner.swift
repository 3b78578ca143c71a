import CCrypto
import Foundation

/// Signs and checks Jupyter messages with HMAC-SHA256 (OpenSSL's libcrypto) under the connection
/// file's key. An empty key means unsigned messages, as the protocol allows.
struct MessageSigner {
    let key: [UInt8]

    /// The lowercase hex HMAC-SHA256 of the concatenated parts ("" when the key is empty).
    func signature(_ parts: [Data]) -> String {
        guard !key.isEmpty else { return "" }
        let data = parts.reduce(into: Data()) { $0.append($1) }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let done = data.withUnsafeBytes { bytes in
            HMAC(EVP_sha256(), key, Int32(key.count), bytes.bindMemory(to: UInt8.self).baseAddress, bytes.count,
                 &digest, &length)
        }
        guard done != nil else { return "" }
        return digest.prefix(Int(length)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is the parts' signature, compared in constant time.
    func verify(_ signature: Data, _ parts: [Data]) -> Bool {
        let expected = Data(self.signature(parts).utf8)
        guard expected.count == signature.count else { return false }
        guard !expected.isEmpty else { return true }
        return expected.withUnsafeBytes { a in
            signature.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0 }
        }
    }
}
