import Foundation

extension BuiltinRegistry {
    /// Printing, conversions, types, assertions, help, time and the environment.
    func registerCore() {
        domain = "Core"
        function("print", [.variadic("values"), Parameter("sep", " "), Parameter("end", "\n")],
                 doc: "Prints the values separated by `sep` and followed by `end`. Strings print without quotes; Engine objects print their full summary (a tensor's shape and statistics, a model's layer table).") { a in
            let values = try a.list("values")
            a.interpreter.write(values.map(\.text).joined(separator: try a.string("sep")) + (try a.string("end")))
            return .null
        }
        function("display", [.variadic("values")],
                 doc: "Shows each value in its richest form: in a Jupyter notebook a dataset, model or evaluation as HTML tables and audio as a player; elsewhere as the REPL prints it (a model's layer table, a dataset's counts).") { a in
            for value in try a.list("values") {
                if let display = a.interpreter.display { display(value) } else { a.interpreter.write(value.display + "\n") }
            }
            return .null
        }
        function("len", [Parameter("x")],
                 doc: "Number of elements of a list, tuple, dict or range, or characters of a string.") { a in
            switch a["x"] {
            case .list(let box): return .int(box.items.count)
            case .tuple(let items): return .int(items.count)
            case .dict(let box): return .int(box.count)
            case .string(let text): return .int(text.count)
            case .object(let range as RangeObject): return .int(range.count)
            case .object(let object):
                if let member = a.interpreter.registry.member(object.typeName, "len") {
                    return try member.invoke(a.interpreter, receiver: a["x"], positional: [], keywords: [])
                }
            default: break
            }
            throw BuiltinError("len: \(a["x"].typeName) has no length")
        }
        function("range", [Parameter("start"), Parameter("stop", nil), Parameter("step", 1)],
                 doc: "The integers from `start` up to (not including) `stop`, by `step`; `range(n)` counts 0..n-1. Lazy: loops over it build no list.") { a in
            let first = try a.int("start"), step = try a.int("step")
            guard step != 0 else { throw BuiltinError("range: step must not be zero") }
            if a.isNil("stop") { return .object(RangeObject(start: 0, stop: first, step: step)) }
            return .object(RangeObject(start: first, stop: try a.int("stop"), step: step))
        }
        function("str", [Parameter("x")], doc: "`x` as text, as `print` would show it.") { a in .string(a["x"].text) }
        function("repr", [Parameter("x")], doc: "`x` as it would be written in a script (strings quoted).") { a in .string(a["x"].repr) }
        function("num", [Parameter("x")],
                 doc: "Converts a string (or number) to a number: an int when the text is a whole number, a float otherwise.") { a in
            if a["x"].asDouble != nil { return a["x"] }
            let text = try a.string("x").trimmingWhitespace()
            if let value = Int(text) { return .int(value) }
            if let value = Double(text) { return .float(value) }
            throw BuiltinError("num: \"\(text)\" is not a number")
        }
        function("int", [Parameter("x")], doc: "Converts to an int, truncating floats toward zero and parsing strings.") { a in
            switch a["x"] {
            case .int: return a["x"]
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .float(let value): return try Math.toInt(value, "int")
            case .string(let text):
                guard let value = Int(text.trimmingWhitespace()) else { throw BuiltinError("int: \"\(text)\" is not a whole number") }
                return .int(value)
            default: throw BuiltinError("int: cannot convert \(a["x"].typeName)")
            }
        }
        function("float", [Parameter("x")], doc: "Converts a number or numeric string to a float.") { a in
            if let value = a["x"].asDouble { return .float(value) }
            if case .string(let text) = a["x"], let value = Double(text.trimmingWhitespace()) { return .float(value) }
            throw BuiltinError("float: cannot convert \(a["x"].typeName) \(a["x"].repr)")
        }
        function("bool", [Parameter("x")],
                 doc: "Converts to true or false: false for nil, false, 0, empty strings, lists and dicts; true otherwise. Use it where Python would rely on truthiness.") { a in
            switch a["x"] {
            case .null, .undefined: return false
            case .bool: return a["x"]
            case .int(let n): return .bool(n != 0)
            case .float(let x): return .bool(x != 0)
            case .string(let text): return .bool(!text.isEmpty)
            case .list(let box): return .bool(!box.items.isEmpty)
            case .tuple(let items): return .bool(!items.isEmpty)
            case .dict(let box): return .bool(box.count > 0)
            default: return true
            }
        }
        function("type", [Parameter("x")], doc: "The type name of `x`: int, float, str, bool, nil, list, dict, tuple, function, or an Engine type such as Tensor.") { a in
            .string(a["x"].typeName)
        }
        function("assert", [Parameter("condition"), Parameter("message", "assertion failed")],
                 doc: "Stops the script with `message` unless `condition` is true.") { a in
            guard try a.bool("condition") else { throw BuiltinError(try a.string("message")) }
            return .null
        }
        function("error", [Parameter("message")], doc: "Stops the script with `message`, reported like any other error.") { a in
            throw BuiltinError(try a.string("message"))
        }
        function("help", [Parameter("x", nil)],
                 doc: "Shows the signature and documentation of a builtin, method or function (`help(sqrt)`, `help(\"list.append\")`, `help(\"Tensor\")`); without an argument, lists every builtin by domain.") { a in
            a.interpreter.write(try Help.text(for: a["x"], registry: a.interpreter.registry) + "\n")
            return .null
        }
        function("time", [], doc: "Seconds since 1970 as a float; subtract two readings to time code.") { _ in
            .float(Date().timeIntervalSince1970)
        }
        function("env", [Parameter("name"), Parameter("default", nil)],
                 doc: "The environment variable `name`, or `default` when it is not set.") { a in
            ProcessInfo.processInfo.environment[try a.string("name")].map { .string($0) } ?? a["default"]
        }
    }
}
