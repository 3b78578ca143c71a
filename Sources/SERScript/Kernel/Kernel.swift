import CZMQ
import Engine
import Foundation
import Runtime

/// A Jupyter kernel (messaging protocol 5.3) over ZeroMQ: binds the five channels of a connection
/// file, answers shell and control requests on the main thread, runs code on a worker thread, and
/// publishes output and status on iopub. Malformed or wrongly signed messages are logged and dropped.
final class Kernel {
    let signer: MessageSigner
    let sessionID = UUID().uuidString.lowercased()
    let session: KernelSession
    let iopub: IOPubPublisher
    private let context: ZMQContext
    let shell: ZMQSocket
    private let control: ZMQSocket
    private let stdin: ZMQSocket
    private let heartbeat: Heartbeat
    /// Set by `shutdown_request`: the main loop ends after the reply.
    var shutdownRequested = false
    private var replayGuard = ReplayGuard()

    init(connection: ConnectionInfo, options: RunOptions) throws {
        signer = MessageSigner(key: Array(connection.key.utf8))
        context = try ZMQContext()
        shell = try ZMQSocket(context, type: ZMQ_ROUTER, name: "shell")
        control = try ZMQSocket(context, type: ZMQ_ROUTER, name: "control")
        stdin = try ZMQSocket(context, type: ZMQ_ROUTER, name: "stdin")
        let publisher = try ZMQSocket(context, type: ZMQ_PUB, name: "iopub")
        let beat = try ZMQSocket(context, type: ZMQ_REP, name: "heartbeat")
        for (socket, channel) in [(shell, "shell"), (control, "control"), (stdin, "stdin"), (publisher, "iopub"), (beat, "hb")] {
            try socket.bind(connection.endpoint(channel))
        }
        iopub = IOPubPublisher(socket: publisher, signer: signer, session: sessionID)
        heartbeat = Heartbeat(socket: beat)
        session = KernelSession(options: options)
        connectOutput()
    }

    /// Serves requests until `shutdown_request`, SIGTERM or SIGHUP; returns the exit status (0, or
    /// 128 + the signal).
    func run() -> Int32 {
        // Ctrl-C (the notebook's interrupt button in signal mode) only asks running code to stop;
        // unlike the command line's handler, a second one never kills the kernel.
        _ = Interrupt.isRequested
        signal(SIGINT) { _ in Interrupt.request() }
        Interruption.installTerminationHandlers()
        iopub.status("starting", parent: nil)
        // A kernel whose Jupyter server died (this process re-parented) ends itself, as IPython's does.
        let parent = getppid()
        while !shutdownRequested && !Interruption.isTerminating && getppid() == parent {
            for socket in ZMQSocket.readable([control, shell, stdin], timeout: 100) { serve(socket) }
        }
        let status = session.finish()
        for socket in [shell, control, stdin] { socket.close() }
        heartbeat.stop()
        iopub.stop()
        context.terminate()
        return status
    }

    /// The next message on `socket`, or nil (logged) when it is malformed, wrongly signed or a
    /// replay of a message already seen.
    func receive(_ socket: ZMQSocket) -> WireMessage? {
        do {
            let message = try WireMessage(frames: try socket.receive(), signer: signer)
            guard replayGuard.isFirstUse(of: message.signature) else { throw KernelProtocolError("a replayed message (its signature was seen before)") }
            return message
        } catch {
            KernelLog.write("rejected a message on \(socket.name): \(error)")
            return nil
        }
    }

    /// Reads one message from `socket` and answers it.
    private func serve(_ socket: ZMQSocket) {
        guard let message = receive(socket) else { return }
        guard socket !== stdin else {
            KernelLog.write("ignored \(message.type) on stdin: no input was requested")
            return
        }
        iopub.status("busy", parent: message)
        defer { iopub.status("idle", parent: message) }
        guard let answer = respond(to: message, onControl: socket === control) else {
            KernelLog.write("ignored unknown message type '\(message.type)' on \(socket.name)")
            return
        }
        reply(answer.type, answer.content, to: message, on: socket)
    }

    func reply(_ type: String, _ content: [String: JSONValue], to request: WireMessage, on socket: ZMQSocket) {
        let message = WireMessage(type: type, content: content, parent: request, session: sessionID)
        do { try socket.send(message.frames(signer: signer)) } catch { KernelLog.write("\(type): \(error)") }
    }

    /// Waits for `isDone` while answering control requests (interrupt, shutdown, kernel_info).
    func serveControl(until isDone: () -> Bool) {
        while !isDone() {
            for socket in ZMQSocket.readable([control], timeout: 20) { serve(socket) }
        }
    }

    /// Routes `print`, `fit`'s progress and every plot of the interpreter to the current request's iopub.
    private func connectOutput() {
        let interpreter = session.interpreter
        interpreter.write = { [unowned self] text in
            self.iopub.publish("stream", ["name": "stdout", "text": .string(text)], parent: self.currentRequest)
        }
        interpreter.display = { [unowned self] value in
            self.iopub.publish("display_data", ["data": RichDisplay.bundle(value), "metadata": [:], "transient": [:]],
                               parent: self.currentRequest)
        }
        interpreter.output.plotWritten = { [unowned self] path in
            guard let svg = try? String(contentsOfFile: path, encoding: .utf8) else { return }
            let name = (path as NSString).lastPathComponent
            self.iopub.publish("display_data", ["data": ["image/svg+xml": .string(svg), "text/plain": .string("<plot \(name)>")],
                                                "metadata": [:], "transient": [:]], parent: self.currentRequest)
        }
    }

    /// The execute request whose code is running; output is published as its children.
    var currentRequest: WireMessage? {
        get { requestLock.withLock { runningRequest } }
        set { requestLock.withLock { runningRequest = newValue } }
    }
    private var runningRequest: WireMessage?
    private let requestLock = NSLock()
}
