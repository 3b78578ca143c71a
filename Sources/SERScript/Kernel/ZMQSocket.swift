import CZMQ
import Foundation

/// A failure of a ZeroMQ call, with libzmq's message.
struct ZMQError: Error, CustomStringConvertible {
    let description: String

    init(_ what: String) {
        description = "\(what): \(String(cString: zmq_strerror(zmq_errno())))"
    }
}

/// One ZeroMQ context for the kernel's sockets.
final class ZMQContext {
    let handle: UnsafeMutableRawPointer

    init() throws {
        guard let handle = zmq_ctx_new() else { throw ZMQError("zmq_ctx_new") }
        self.handle = handle
    }

    /// Waits for every socket to be closed and its queued messages sent (up to their linger time).
    func terminate() { _ = zmq_ctx_term(handle) }
}

/// A ZeroMQ socket carrying multipart messages. Not thread-safe: each socket is used by one thread.
final class ZMQSocket {
    /// Frames beyond this make a message malformed (a Jupyter message has a handful plus buffers).
    static let maximumFrames = 1024
    /// Larger messages are dropped by libzmq before they reach the kernel.
    static let maximumMessageBytes: Int64 = 256 << 20

    private var handle: UnsafeMutableRawPointer?
    let name: String

    init(_ context: ZMQContext, type: Int32, name: String) throws {
        guard let handle = zmq_socket(context.handle, type) else { throw ZMQError("zmq_socket(\(name))") }
        self.handle = handle
        self.name = name
        // Replies still queued at shutdown get one second to leave; then the context stops waiting.
        try setOption(ZMQ_LINGER, Int32(1000))
        try setOption(ZMQ_MAXMSGSIZE, ZMQSocket.maximumMessageBytes)
    }

    private func setOption<T: FixedWidthInteger>(_ option: Int32, _ value: T) throws {
        let status = withUnsafeBytes(of: value) { bytes in zmq_setsockopt(handle, option, bytes.baseAddress, bytes.count) }
        guard status == 0 else {
            throw ZMQError("zmq_setsockopt(\(name), \(option))")
        }
    }

    func bind(_ endpoint: String) throws {
        guard zmq_bind(handle, endpoint) == 0 else { throw ZMQError("cannot bind the \(name) channel to \(endpoint)") }
    }

    func close() {
        if let handle { zmq_close(handle) }
        handle = nil
    }

    /// Sends `frames` as one multipart message.
    func send(_ frames: [Data]) throws {
        for (index, frame) in frames.enumerated() {
            let flags: Int32 = index + 1 < frames.count ? ZMQ_SNDMORE : 0
            let sent = frame.withUnsafeBytes { bytes in zmq_send(handle, bytes.baseAddress, bytes.count, flags) }
            guard sent >= 0 else { throw ZMQError("send on \(name)") }
        }
    }

    /// Receives one multipart message (blocking); more than `maximumFrames` frames is an error,
    /// after the rest of the message has been read and dropped.
    func receive() throws -> [Data] {
        var frames: [Data] = []
        var more = true
        while more {
            var message = zmq_msg_t()
            zmq_msg_init(&message)
            defer { zmq_msg_close(&message) }
            guard zmq_msg_recv(&message, handle, 0) >= 0 else { throw ZMQError("receive on \(name)") }
            if frames.count < ZMQSocket.maximumFrames {
                frames.append(Data(bytes: zmq_msg_data(&message), count: zmq_msg_size(&message)))
            }
            more = zmq_msg_more(&message) != 0
            if !more, frames.count >= ZMQSocket.maximumFrames {
                throw KernelProtocolError("a message on \(name) with more than \(ZMQSocket.maximumFrames) frames")
            }
        }
        return frames
    }

    /// Which of `sockets` have a message waiting, waiting up to `timeout` milliseconds.
    static func readable(_ sockets: [ZMQSocket], timeout: Int) -> [ZMQSocket] {
        var items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
        let count = zmq_poll(&items, Int32(items.count), timeout)
        guard count > 0 else { return [] }
        return zip(sockets, items).filter { $0.1.revents & Int16(ZMQ_POLLIN) != 0 }.map(\.0)
    }
}

/// A message that breaks the Jupyter wire protocol (bad frames, signature, JSON): logged and dropped.
struct KernelProtocolError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
