import Engine
import Foundation

/// The iopub channel: any thread queues messages (output from running code, status), and one
/// thread that owns the PUB socket sends them in order.
final class IOPubPublisher: @unchecked Sendable {
    private let socket: ZMQSocket
    private let signer: MessageSigner
    private let session: String
    private let condition = NSCondition()
    private var queue: [WireMessage] = []
    private var stopping = false
    private var stopped = false

    init(socket: ZMQSocket, signer: MessageSigner, session: String) {
        self.socket = socket
        self.signer = signer
        self.session = session
        let thread = Thread { [unowned self] in self.sendLoop() }
        thread.name = "iopub"
        thread.start()
    }

    /// Queues a `type` message caused by `parent`. iopub messages carry no routing identities:
    /// the topic frame is the message type.
    func publish(_ type: String, _ content: [String: JSONValue], parent: WireMessage?) {
        var message = WireMessage(type: type, content: content, parent: parent, session: session)
        message.identities = [Data(type.utf8)]
        condition.lock()
        queue.append(message)
        condition.signal()
        condition.unlock()
    }

    /// `status` busy or idle.
    func status(_ state: String, parent: WireMessage?) {
        publish("status", ["execution_state": .string(state)], parent: parent)
    }

    /// Sends what is queued, then closes the socket.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        while !stopped { condition.wait() }
        condition.unlock()
    }

    /// Adjacent `stream` messages of one request and stream joined into one, so a loop that
    /// prints thousands of lines sends a few large messages instead of thousands of small ones.
    static func coalesced(_ batch: [WireMessage]) -> [WireMessage] {
        var merged: [WireMessage] = []
        for message in batch {
            if message.type == "stream", var last = merged.last, last.type == "stream",
               last.parentHeader["msg_id"] == message.parentHeader["msg_id"],
               last.content["name"] == message.content["name"] {
                last.content["text"] = .string(last.content.string("text") + message.content.string("text"))
                merged[merged.count - 1] = last
            } else {
                merged.append(message)
            }
        }
        return merged
    }

    private func sendLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            let batch = queue
            queue.removeAll()
            let done = stopping && batch.isEmpty
            condition.unlock()
            if done { break }
            for message in IOPubPublisher.coalesced(batch) {
                do { try socket.send(message.frames(signer: signer)) } catch {
                    KernelLog.write("iopub: \(error)")
                }
            }
        }
        socket.close()
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}

/// The kernel's own log: standard error, which Jupyter shows in the server's console.
enum KernelLog {
    static func write(_ text: String) {
        fputs("serscript kernel: \(text)\n", stderr)
    }
}
