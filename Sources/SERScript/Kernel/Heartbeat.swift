import Foundation

/// The heartbeat channel: echoes every ping on its own thread, so a busy kernel still looks alive.
final class Heartbeat: @unchecked Sendable {
    private let socket: ZMQSocket
    private let lock = NSLock()
    private var running = true
    private let finished = DispatchSemaphore(value: 0)

    init(socket: ZMQSocket) {
        self.socket = socket
        let thread = Thread { [unowned self] in self.echoLoop() }
        thread.name = "heartbeat"
        thread.start()
    }

    func stop() {
        lock.withLock { running = false }
        finished.wait()
    }

    private func echoLoop() {
        while lock.withLock({ running }) {
            guard !ZMQSocket.readable([socket], timeout: 100).isEmpty else { continue }
            do { try socket.send(try socket.receive()) } catch { KernelLog.write("heartbeat: \(error)") }
        }
        socket.close()
        finished.signal()
    }
}
