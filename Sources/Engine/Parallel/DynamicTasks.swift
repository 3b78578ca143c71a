import Foundation

/// Tasks `0 ..< count` handed out one at a time to whichever worker is free, over every rank of a
/// communicator: rank 0 keeps the counter (a coordinator thread answers the other ranks' requests)
/// and works too, each rank runs `slots` workers, and every task's result — bytes the task makes —
/// reaches rank 0 with the worker's next request. A slow task therefore never holds up the
/// others, and rank 0 alone ends with every result. Dynamic assignment as in MPI master/worker
/// farms; the message layout is private to this type.
public final class DynamicTasks {
    public let count: Int
    public let communicator: any Communicator
    /// Threads per rank running tasks.
    public let slots: Int

    /// Task ids travel under this tag to rank 0; answers come back under `answerTag + slot`.
    static let requestTag = 7_100
    static let answerTag = 7_200

    /// Recursive: `finished` may ask for `outstanding`.
    private let lock = NSRecursiveLock()
    private var next = 0
    private var results: [[UInt8]?]
    private var handedTo: [Int: Int] = [:]
    /// The first error of a thread talking to other ranks.
    private var failure: Error?

    public init(count: Int, communicator: any Communicator, slots: Int = 1) {
        self.count = count
        self.communicator = communicator
        self.slots = max(1, slots)
        results = Array(repeating: nil, count: count)
    }

    /// Runs the tasks. `work(index)` runs task `index` and returns its result; `stopping()` tells
    /// a worker to take no further task (it is asked before each one, on every rank);
    /// `finished(index, result)` is called on rank 0 (any thread, one at a time) as each result
    /// arrives. Returns on rank 0 the results by index — nil for a task that never ran — and on
    /// other ranks an empty list.
    public func run(stopping: @escaping () -> Bool = { false }, finished: @escaping (Int, [UInt8], Int) -> Void = { _, _, _ in },
                    work: @escaping (Int) -> [UInt8]) throws -> [[UInt8]?] {
        if communicator.rank == 0 {
            let coordinator = communicator.size > 1 ? Thread { [self] in
                do { try coordinate(stopping: stopping, finished: finished) } catch { fail(error) }
            } : nil
            coordinator?.stackSize = 1 << 20
            coordinator?.start()
            runLocally(stopping: stopping, work: work) { index, bytes in
                self.record(index, bytes, rank: 0, finished: finished)
            }
            while let coordinator, !coordinator.isFinished { usleep(1000) }
            lock.lock()
            defer { lock.unlock() }
            if let failure { throw failure }
            return results
        }
        // One slot runs on the calling thread (a script's interpreter keeps its large stack).
        if slots == 1 {
            try requestLoop(slot: 0, stopping: stopping, work: work)
            return []
        }
        DispatchQueue.concurrentPerform(iterations: slots) { slot in
            do { try requestLoop(slot: slot, stopping: stopping, work: work) } catch { fail(error) }
        }
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
        return []
    }

    /// The task ids rank 0 has handed out whose results have not come back, with the rank running each.
    public var outstanding: [(index: Int, rank: Int)] {
        lock.lock()
        defer { lock.unlock() }
        return handedTo.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Rank 0's own workers: the calling thread and `slots - 1` more.
    private func runLocally(stopping: @escaping () -> Bool, work: @escaping (Int) -> [UInt8],
                            done: @escaping (Int, [UInt8]) -> Void) {
        let loop = { [self] in
            while !stopping(), let index = take(rank: 0) { done(index, work(index)) }
        }
        guard slots > 1 else { return loop() }
        DispatchQueue.concurrentPerform(iterations: slots) { _ in loop() }
    }

    private func fail(_ error: Error) {
        lock.lock()
        failure = failure ?? error
        lock.unlock()
    }

    private func take(rank: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        handedTo[next - 1] = rank
        return next - 1
    }

    private func record(_ index: Int, _ bytes: [UInt8], rank: Int, finished: (Int, [UInt8], Int) -> Void) {
        lock.lock()
        guard index >= 0, index < count, handedTo[index] != nil else {
            lock.unlock()
            return
        }
        results[index] = bytes
        handedTo[index] = nil
        finished(index, bytes, rank)
        lock.unlock()
    }

    /// Rank 0's coordinator: answers every other rank's workers until each has been told to stop
    /// (or said it stops).
    private func coordinate(stopping: () -> Bool, finished: @escaping (Int, [UInt8], Int) -> Void) throws {
        var open = (communicator.size - 1) * slots
        while open > 0 {
            guard let message = try communicator.receive(from: nil, tag: Self.requestTag, wait: false) else {
                usleep(2000)
                continue
            }
            let request = try Request(decoding: message.bytes, from: message.source)
            if let done = request.done { record(done.index, done.result, rank: message.source, finished: finished) }
            guard request.wantsMore else {
                open -= 1
                continue
            }
            let index = stopping() ? nil : take(rank: message.source)
            if index == nil { open -= 1 }
            try communicator.send(Request.encode(Int64(index ?? -1)), to: message.source, tag: Self.answerTag + request.slot)
        }
    }

    /// Another rank's worker: report the last result, ask for the next task, until told there is none.
    private func requestLoop(slot: Int, stopping: () -> Bool, work: (Int) -> [UInt8]) throws {
        var done: (index: Int, result: [UInt8])?
        while true {
            let wantsMore = !stopping()
            try communicator.send(Request(slot: slot, done: done, wantsMore: wantsMore).encoded(), to: 0, tag: Self.requestTag)
            guard wantsMore else { return }
            guard let answer = try communicator.receive(from: 0, tag: Self.answerTag + slot, wait: true) else { return }
            let index = try Request.decodeInteger(answer.bytes)
            guard index >= 0 else { return }
            done = (Int(index), work(Int(index)))
        }
    }

    /// A worker's message to rank 0: its slot, the task it finished with the result, and whether it wants another.
    private struct Request {
        let slot: Int
        let done: (index: Int, result: [UInt8])?
        let wantsMore: Bool

        init(slot: Int, done: (index: Int, result: [UInt8])?, wantsMore: Bool) {
            self.slot = slot
            self.done = done
            self.wantsMore = wantsMore
        }

        /// slot, flags (1 more, 2 done), index: 8 bytes each little-endian; then the result.
        func encoded() -> [UInt8] {
            let flags = Int64((wantsMore ? 1 : 0) | (done == nil ? 0 : 2))
            return Self.encode(Int64(slot)) + Self.encode(flags) + Self.encode(Int64(done?.index ?? -1)) + (done?.result ?? [])
        }

        init(decoding bytes: [UInt8], from rank: Int) throws {
            guard bytes.count >= 24 else {
                throw CommunicatorError("rank \(rank) sent a task message of \(bytes.count) bytes; ranks run different serscript versions?")
            }
            slot = Int(try Self.decodeInteger(Array(bytes[0..<8])))
            let flags = try Self.decodeInteger(Array(bytes[8..<16]))
            let index = Int(try Self.decodeInteger(Array(bytes[16..<24])))
            wantsMore = flags & 1 != 0
            done = flags & 2 != 0 ? (index, Array(bytes[24...])) : nil
        }

        static func encode(_ value: Int64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

        static func decodeInteger(_ bytes: [UInt8]) throws -> Int64 {
            guard bytes.count == 8 else { throw CommunicatorError("expected an 8-byte integer, got \(bytes.count) bytes") }
            return bytes.enumerated().reduce(Int64(0)) { $0 | Int64($1.element) << (8 * $1.offset) }
        }
    }
}
