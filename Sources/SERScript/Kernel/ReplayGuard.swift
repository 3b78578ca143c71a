import Foundation

/// Remembers the signatures of recent messages so that a captured message sent again is refused,
/// as the protocol asks of signed sessions. Keeps the last `capacity` signatures (unsigned
/// sessions, whose signatures are all empty, are not checked).
struct ReplayGuard {
    var capacity = 1 << 16
    private var seen = Set<Data>()
    private var order: [Data] = []
    private var oldest = 0

    /// True the first time `signature` is offered; false for a replay.
    mutating func isFirstUse(of signature: Data) -> Bool {
        guard !signature.isEmpty else { return true }
        guard seen.insert(signature).inserted else { return false }
        if order.count < capacity {
            order.append(signature)
        } else {
            seen.remove(order[oldest])
            order[oldest] = signature
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}
