import Engine
import Foundation
import Runtime

extension Kernel {
    /// Runs an `execute_request`'s code: `execute_input`, then its output as it happens (streams,
    /// plots), the last expression's value as `execute_result` or the failure as `error`.
    func execute(_ request: WireMessage) -> [String: JSONValue] {
        let code = request.content.string("code")
        let silent = request.content.bool("silent", false)
        let count = silent ? session.executionCount
            : session.count(code, storeHistory: request.content.bool("store_history", true))
        if !silent {
            iopub.publish("execute_input", ["code": .string(code), "execution_count": .number(Double(count))], parent: request)
        }
        currentRequest = request
        let outcome = runWhileServingControl(code, name: "In[\(count)]")
        currentRequest = nil
        switch outcome {
        case .success(let value):
            // As in IPython, a trailing `;` keeps the last value to itself (e.g. a plot's path).
            let quiet = silent || code.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(";")
            if !quiet, let value, !Kernel.isNothing(value) {
                iopub.publish("execute_result", ["execution_count": .number(Double(count)), "data": RichDisplay.bundle(value),
                                                 "metadata": [:]], parent: request)
            }
            let expressions = request.content["user_expressions"]?.objectValue ?? [:]
            return ["status": "ok", "execution_count": .number(Double(count)), "payload": [],
                    "user_expressions": .object(expressions.compactMapValues { $0.stringValue.map(evaluateExpression) })]
        case .failure(let error):
            let failure = Kernel.errorContent(error)
            iopub.publish("error", failure, parent: request)
            if request.content.bool("stop_on_error", true) { abortQueuedExecutions() }
            return failure.merging(["status": "error", "execution_count": .number(Double(count))]) { $1 }
        }
    }

    private func runWhileServingControl(_ code: String, name: String) -> Result<Value?, Error> {
        let lock = NSLock()
        var outcome: Result<Value?, Error>?
        session.start(code, name: name) { result in lock.withLock { outcome = result } }
        serveControl { lock.withLock { outcome != nil } }
        return lock.withLock { outcome } ?? .success(nil)
    }

    /// A `user_expressions` entry: the expression's value as a display bundle, or its error.
    private func evaluateExpression(_ expression: String) -> JSONValue {
        let interpreter = session.interpreter
        let outcome = LargeStack.run { Result { try interpreter.evaluate(expression, name: "<user_expression>") } }
        switch outcome {
        case .success(let value):
            return ["status": "ok", "data": RichDisplay.bundle(value ?? .null), "metadata": [:]]
        case .failure(let error):
            return .object(Kernel.errorContent(error).merging(["status": "error"]) { $1 })
        }
    }

    /// `ename`, `evalue` and `traceback` (the `file:line:col` message, source line, caret and call chain).
    static func errorContent(_ error: Error) -> [String: JSONValue] {
        let name: String
        switch error {
        case let scriptError as ScriptError:
            switch scriptError.kind {
            case .syntax: name = "SyntaxError"
            case .name: name = "NameError"
            case .runtime: name = "RuntimeError"
            case .interrupted: name = "Interrupted"
            }
        case is ScriptErrorList: name = "NameError"
        case is InterruptedError: name = "Interrupted"
        default: name = "Error"
        }
        let message = (error as? ScriptError)?.message ?? "\(error)"
        return ["ename": .string(name), "evalue": .string(message),
                "traceback": .array("\(error)".split(separator: "\n", omittingEmptySubsequences: false).map { .string(String($0)) })]
    }

    /// After a failed cell, execute requests already queued are answered `aborted` without running,
    /// as a notebook's "run all" expects; other requests are served.
    private func abortQueuedExecutions() {
        while let socket = ZMQSocket.readable([shell], timeout: 0).first {
            guard let message = receive(socket) else { continue }
            iopub.status("busy", parent: message)
            if message.type == "execute_request" {
                reply("execute_reply", ["status": "aborted", "execution_count": .number(Double(session.executionCount))],
                      to: message, on: socket)
            } else if let answer = respond(to: message, onControl: false) {
                reply(answer.type, answer.content, to: message, on: socket)
            }
            iopub.status("idle", parent: message)
        }
    }

    static func isNothing(_ value: Value) -> Bool {
        switch value {
        case .null, .undefined: return true
        default: return false
        }
    }
}
