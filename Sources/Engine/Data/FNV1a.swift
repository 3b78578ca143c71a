/// 64-bit FNV-1a: a stable hash (Swift's `Hasher` is seeded per process) for cache keys, entry
/// checksums and finding identical files. Not cryptographic.
enum FNV1a {
    static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The hash of `text`'s UTF-8 bytes.
    static func hash(_ text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }

    /// `hash` continued over `bytes` eight at a time (then the tail bytes): a byte at a time cost
    /// as much as computing a log-mel when checking cache entries.
    static func hash(words bytes: UnsafeRawBufferPointer, continuing hash: UInt64 = offsetBasis) -> UInt64 {
        var hash = hash
        let words = bytes.count / 8
        for word in 0..<words { hash = (hash ^ bytes.loadUnaligned(fromByteOffset: word * 8, as: UInt64.self)) &* prime }
        for byte in bytes[(words * 8)...] { hash = (hash ^ UInt64(byte)) &* prime }
        return hash
    }
}
