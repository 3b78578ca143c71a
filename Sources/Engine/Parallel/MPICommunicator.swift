import CMPI
import Foundation

/// MPI_COMM_WORLD of Open MPI. MPI is initialised with MPI_THREAD_SERIALIZED and every call
/// holds `lock`, so the sweep's worker threads may share it.
public final class MPICommunicator: Communicator {
    public let rank: Int
    public let size: Int
    private let lock = NSLock()
    private var finalized = false

    private init(rank: Int, size: Int) {
        self.rank = rank
        self.size = size
    }

    /// MPI_Init_thread; throws when MPI cannot start or cannot serialise calls from several threads.
    static func initialize() throws -> MPICommunicator {
        var provided: Int32 = 0
        guard sers_mpi_init(&provided) == 0 else { throw CommunicatorError("MPI_Init_thread failed") }
        guard provided >= sers_mpi_thread_serialized() else {
            throw CommunicatorError("this MPI library offers thread level \(provided); serscript needs MPI_THREAD_SERIALIZED")
        }
        return MPICommunicator(rank: Int(sers_mpi_rank()), size: Int(sers_mpi_size()))
    }

    func finalize() {
        locked {
            guard !finalized else { return }
            finalized = true
            _ = sers_mpi_finalize()
        }
    }

    /// Ends every rank of the job at once (the MPI_Abort a failing Horovod job ends with).
    public func abort(status: Int32) -> Never {
        _ = sers_mpi_abort(status)
        exit(status)
    }

    public func sumInPlace(_ values: UnsafeMutableBufferPointer<Float>) throws {
        for (start, count) in Self.chunks(values.count) {
            try check(locked { sers_mpi_allreduce_floats(values.baseAddress! + start, Int32(count)) }, "MPI_Allreduce")
        }
    }

    public func startSum(_ values: UnsafeMutableBufferPointer<Float>) throws -> PendingSum {
        guard values.count <= Int(Int32.max) else {
            try sumInPlace(values)
            return Finished()
        }
        var request: UnsafeMutableRawPointer?
        try check(locked { sers_mpi_iallreduce_floats(values.baseAddress, Int32(values.count), &request) }, "MPI_Iallreduce")
        return Request(owner: self, handle: request)
    }

    public func sum(_ values: [Double]) throws -> [Double] { try reduce(values, maximum: false) }

    public func maximum(_ values: [Double]) throws -> [Double] { try reduce(values, maximum: true) }

    private func reduce(_ values: [Double], maximum: Bool) throws -> [Double] {
        var result = values
        let status = result.withUnsafeMutableBufferPointer { buffer in
            locked { sers_mpi_allreduce_doubles(buffer.baseAddress, Int32(buffer.count), maximum ? 1 : 0) }
        }
        try check(status, "MPI_Allreduce")
        return result
    }

    public func broadcast(_ bytes: [UInt8], from root: Int) throws -> [UInt8] {
        var length = [Double(bytes.count)]
        try length.withUnsafeMutableBytes { raw in
            try check(locked { sers_mpi_broadcast(raw.baseAddress, Int32(raw.count), Int32(root)) }, "MPI_Bcast")
        }
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: Int(length[0]))
        try buffer.withUnsafeMutableBytes { raw in
            for (start, count) in Self.chunks(raw.count) {
                try check(locked { sers_mpi_broadcast(raw.baseAddress! + start, Int32(count), Int32(root)) }, "MPI_Bcast")
            }
        }
        return buffer
    }

    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) throws {
        guard bytes.count <= Int(Int32.max) else { throw CommunicatorError("a message of \(bytes.count) bytes is too long for MPI") }
        try bytes.withUnsafeBytes { raw in
            try check(locked { sers_mpi_send(raw.baseAddress, Int32(raw.count), Int32(destination), Int32(tag)) }, "MPI_Send")
        }
    }

    public func receive(from source: Int?, tag: Int?, wait: Bool) throws -> Message? {
        // Probe and receive under one lock, so another thread cannot take the probed message.
        lock.lock()
        defer { lock.unlock() }
        var from: Int32 = 0, tagged: Int32 = 0, count: Int32 = 0
        guard sers_mpi_probe(Int32(source ?? -1), Int32(tag ?? -1), wait ? 1 : 0, &from, &tagged, &count) == 1 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(count))
        let status = bytes.withUnsafeMutableBytes { sers_mpi_receive($0.baseAddress, count, from, tagged) }
        try check(status, "MPI_Recv")
        return Message(source: Int(from), tag: Int(tagged), bytes: bytes)
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    private func check(_ status: Int32, _ call: String) throws {
        guard status == 0 else { throw CommunicatorError("\(call) failed on rank \(rank) (MPI error \(status))") }
    }

    /// MPI counts are 32-bit: long buffers go in pieces.
    private static func chunks(_ count: Int) -> [(start: Int, count: Int)] {
        let most = 1 << 30
        return stride(from: 0, to: count, by: most).map { ($0, Swift.min(most, count - $0)) }
    }

    private struct Request: PendingSum {
        let owner: MPICommunicator
        let handle: UnsafeMutableRawPointer?
        func wait() throws {
            try owner.check(owner.locked { sers_mpi_wait(handle) }, "MPI_Wait")
        }
    }

    private struct Finished: PendingSum {
        func wait() throws {}
    }
}
