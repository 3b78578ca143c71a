import Engine
import Foundation
import Runtime

extension Kernel {
    /// The language as notebooks and kernelspecs describe it.
    static let languageInfo: JSONValue = [
        "name": "serscript", "version": .string(SERScriptVersion.current), "mimetype": "text/x-serscript",
        "file_extension": ".sers", "codemirror_mode": "python", "pygments_lexer": "python",
    ]

    /// The reply type and content for a request, or nil for an unknown message type. Code runs
    /// only from the shell channel.
    func respond(to request: WireMessage, onControl: Bool) -> (type: String, content: [String: JSONValue])? {
        let content = request.content
        let reply: [String: JSONValue]
        switch request.type {
        case "kernel_info_request": reply = kernelInfo()
        case "execute_request" where !onControl: reply = execute(request)
        case "complete_request": reply = complete(content.string("code"), cursor: content.int("cursor_pos", Int.max))
        case "inspect_request": reply = inspect(content.string("code"), cursor: content.int("cursor_pos", Int.max))
        case "is_complete_request": reply = isComplete(content.string("code"))
        case "history_request": reply = history(content)
        case "comm_info_request": reply = ["status": "ok", "comms": [:]]
        case "interrupt_request":
            Interrupt.request()
            reply = ["status": "ok"]
        case "shutdown_request":
            // Running code stops at its next check; the main loop ends once it has.
            Interrupt.request()
            shutdownRequested = true
            reply = ["status": "ok", "restart": .bool(content.bool("restart", false))]
            iopub.publish("shutdown_reply", reply, parent: request)
        default: return nil
        }
        return (String(request.type.dropLast("request".count)) + "reply", reply)
    }

    private func kernelInfo() -> [String: JSONValue] {
        [
            "status": "ok", "protocol_version": .string(WireMessage.protocolVersion), "implementation": "serscript",
            "implementation_version": .string(SERScriptVersion.current), "language_info": Kernel.languageInfo,
            "banner": .string("serscript \(SERScriptVersion.current) — speech emotion recognition, scripted. help(name) explains a builtin."),
            "help_links": [],
            "debugger": false,
        ]
    }

    /// Completions of the word before the cursor: names, keywords, and methods after a dot.
    private func complete(_ code: String, cursor: Int) -> [String: JSONValue] {
        let word = CodeWord(code, cursor: cursor)
        let matches = session.interpreter.completions(for: word.beforeCursor)
        return ["status": "ok", "matches": .array(matches.map(JSONValue.string)), "cursor_start": .number(Double(word.start)),
                "cursor_end": .number(Double(word.cursor)), "metadata": [:]]
    }

    /// The builtin's help for the word under the cursor (a global's value and its type's methods otherwise).
    private func inspect(_ code: String, cursor: Int) -> [String: JSONValue] {
        let name = CodeWord(code, cursor: cursor).whole
        guard let text = helpText(name) else { return ["status": "ok", "found": false, "data": [:], "metadata": [:]] }
        return ["status": "ok", "found": true, "data": ["text/plain": .string(text)], "metadata": [:]]
    }

    private func helpText(_ name: String) -> String? {
        guard !name.isEmpty else { return nil }
        let interpreter = session.interpreter
        if let value = interpreter.global(name) {
            let help = (try? Help.text(for: value, registry: interpreter.registry)) ?? ""
            return "\(name): \(value.typeName) = \(value.repr.prefix(200))\n\n\(help)"
        }
        // `ds.split` asks about the method `Dataset.split` when `ds` is a Dataset.
        if let dot = name.lastIndex(of: "."), let value = interpreter.global(String(name[..<dot])) {
            return try? Help.text(for: .string(value.typeName + String(name[dot...])), registry: interpreter.registry)
        }
        return try? Help.text(for: .string(name), registry: interpreter.registry)
    }

    private func isComplete(_ code: String) -> [String: JSONValue] {
        switch InputCompleteness(code) {
        case .complete: return ["status": "complete"]
        case .incomplete: return ["status": "incomplete", "indent": ""]
        case .invalid: return ["status": "invalid"]
        }
    }

    /// `tail` (the last n inputs), `range` (lines start..<stop of this session) or `search` (a glob pattern).
    private func history(_ content: [String: JSONValue]) -> [String: JSONValue] {
        var entries = session.history
        switch content.string("hist_access_type", "tail") {
        case "range":
            let start = content.int("start", 0), stop = content.int("stop", Int.max)
            entries = entries.filter { $0.line >= start && $0.line < stop }
        case "search":
            let pattern = content.string("pattern", "*")
            entries = entries.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if content.bool("unique", false) {
                var seen = Set<String>()
                entries = Array(entries.reversed().filter { seen.insert($0.input).inserted }.reversed())
            }
            entries = Array(entries.suffix(max(0, content.int("n", entries.count))))
        default:
            entries = Array(entries.suffix(max(0, content.int("n", 10))))
        }
        // Session 0 is "this session" in the protocol's numbering.
        return ["status": "ok", "history": .array(entries.map { JSONValue.array([0, .number(Double($0.line)), .string($0.input)]) })]
    }
}

/// The identifier-and-dots word at a cursor (a Unicode code point offset, as Jupyter counts).
struct CodeWord {
    let start: Int
    let cursor: Int
    let beforeCursor: String
    /// The word extended past the cursor to its end.
    let whole: String

    init(_ code: String, cursor position: Int) {
        let scalars = Array(code.unicodeScalars)
        let cursor = min(max(0, position), scalars.count)
        func isWord(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" || scalar == "." }
        var start = cursor, end = cursor
        while start > 0, isWord(scalars[start - 1]) { start -= 1 }
        while end < scalars.count, isWord(scalars[end]) { end += 1 }
        self.start = start
        self.cursor = cursor
        beforeCursor = String(String.UnicodeScalarView(scalars[start..<cursor]))
        whole = String(String.UnicodeScalarView(scalars[start..<end]))
    }
}
