/// The processes a job runs as, and the few collective operations serscript needs from them:
/// sums for data-parallel gradients and statistics, broadcasts of seeds and weights from rank 0,
/// and byte messages for handing out sweep runs and cross-validation folds. `SingleProcess` is
/// the communicator of a program not started by `mpirun`; `MPICommunicator` wraps MPI_COMM_WORLD.
public protocol Communicator: AnyObject {
    /// This process's number, 0 ..< size; rank 0 writes every output.
    var rank: Int { get }
    /// How many processes take part.
    var size: Int { get }
    /// Replaces `values` by their element-wise sum over every rank.
    func sumInPlace(_ values: UnsafeMutableBufferPointer<Float>) throws
    /// Starts `sumInPlace` and returns at once; `values` must stay alive and untouched until the
    /// returned reduction's `wait()` returns.
    func startSum(_ values: UnsafeMutableBufferPointer<Float>) throws -> PendingSum
    /// The element-wise sum of `values` over every rank.
    func sum(_ values: [Double]) throws -> [Double]
    /// The element-wise maximum of `values` over every rank.
    func maximum(_ values: [Double]) throws -> [Double]
    /// Rank `root`'s `bytes`, on every rank (the others' `bytes` are ignored).
    func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8]
    /// Sends `bytes` to rank `destination` under `tag`.
    func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws
    /// The next message from `source` (nil: any rank) under `tag` (nil: any tag); waits for one
    /// when `wait`, else returns nil when none has arrived.
    func receive(from source: Int?, tag: Int?, wait: Bool) throws -> Message?
}

/// A byte message between ranks.
public struct Message {
    /// The rank that sent it.
    public let source: Int
    /// Its tag.
    public let tag: Int
    /// Its content.
    public let bytes: [UInt8]
}

/// A sum started by `Communicator.startSum`.
public protocol PendingSum {
    /// Returns once the sum is in the buffer.
    func wait() throws
}

/// Why a collective operation failed.
public struct CommunicatorError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Communicator {
    /// Whether `flag` is true on any rank.
    public func anyRank(_ flag: Bool) throws -> Bool { try maximum([flag ? 1 : 0])[0] > 0 }

    /// Rank `root`'s value of `value`, on every rank.
    public func broadcast(_ value: UInt64, from root: Int = 0) throws -> UInt64 {
        let bytes = try broadcast((0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }, from: root)
        return bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }

    /// Copies rank `root`'s values of `tensors` (equal shapes on every rank) into every rank's.
    public func broadcast(_ tensors: [Tensor], from root: Int = 0) throws {
        var flat = [Float]()
        flat.reserveCapacity(tensors.reduce(0) { $0 + $1.count })
        for tensor in tensors { flat += tensor.values }
        let bytes = flat.withUnsafeBytes { Array($0) }
        let received = try broadcast(bytes, from: root)
        guard received.count == bytes.count else {
            throw CommunicatorError("rank \(root) sent \(received.count / 4) values for \(flat.count) on rank \(rank); the ranks' models differ")
        }
        var offset = 0
        received.withUnsafeBytes { raw in
            let source = raw.bindMemory(to: Float.self)
            for tensor in tensors {
                tensor.withUnsafeMutableBufferPointer { target in
                    for i in 0..<target.count { target[i] = source[offset + i] }
                }
                offset += tensor.count
            }
        }
    }
}

/// The communicator of a program run on its own: rank 0 of 1, every reduction the identity.
public final class SingleProcess: Communicator {
    public init() {}
    public var rank: Int { 0 }
    public var size: Int { 1 }
    public func sumInPlace(_ values: UnsafeMutableBufferPointer<Float>) throws {}
    public func startSum(_ values: UnsafeMutableBufferPointer<Float>) throws -> PendingSum { Done() }
    public func sum(_ values: [Double]) throws -> [Double] { values }
    public func maximum(_ values: [Double]) throws -> [Double] { values }
    public func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8] { bytes }
    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
        throw CommunicatorError("a single process has no rank \(destination) to send to")
    }
    public func receive(from source: Int?, tag: Int?, wait: Bool) throws -> Message? {
        guard !wait else { throw CommunicatorError("a single process has no other rank to wait for") }
        return nil
    }

    private struct Done: PendingSum {
        func wait() throws {}
    }
}
