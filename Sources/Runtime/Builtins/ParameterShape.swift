/// Matches a call's positional and keyword arguments to parameter names — shared by builtins and
/// script functions, so both report wrong arguments the same way.
struct ParameterShape {
    let names: [String]
    let required: [Bool]
    let variadic: Int?
    let keywords: Int?

    init(_ parameters: [Parameter]) {
        names = parameters.map(\.name)
        required = parameters.map { $0.kind == .normal && $0.defaultValue == nil }
        variadic = parameters.firstIndex { $0.kind == .variadic }
        keywords = parameters.firstIndex { $0.kind == .keywords }
    }

    init(names: [String], required: [Bool]) {
        self.names = names
        self.required = required
        variadic = nil
        keywords = nil
    }

    /// One slot per parameter: the argument given, nil where the default applies. Variadic
    /// parameters receive a tuple, keyword-gathering ones a dict.
    func bind(positional: [Value], keywords given: [(String, Value)], callee: String) throws -> [Value?] {
        var slots = [Value?](repeating: nil, count: names.count)
        var extras: [Value] = []
        var next = 0
        for value in positional {
            if next < names.count, next != variadic, next != keywords {
                slots[next] = value
                next += 1
            } else if variadic != nil {
                extras.append(value)
            } else {
                throw BuiltinError("\(callee) takes \(next) argument\(next == 1 ? "" : "s") but \(positional.count) were given")
            }
        }
        if let variadic { slots[variadic] = .tuple(extras) }
        var gathered: [(String, Value)] = []
        for (label, value) in given {
            if let index = names.firstIndex(of: label), index != variadic, index != keywords {
                guard slots[index] == nil else { throw BuiltinError("\(callee) got two values for '\(label)'") }
                slots[index] = value
            } else if keywords != nil {
                gathered.append((label, value))
            } else {
                let candidates = names.enumerated().filter { $0.offset != variadic }.map(\.element)
                throw BuiltinError("\(callee) has no parameter '\(label)'" + Suggestions.didYouMean(label, among: candidates))
            }
        }
        if let keywords { slots[keywords] = .dict(DictBox(gathered)) }
        for (index, isRequired) in required.enumerated() where isRequired && slots[index] == nil {
            throw BuiltinError("\(callee) is missing argument '\(names[index])'")
        }
        return slots
    }

    /// The same checks as `bind`, for `serscript check`, given only how many positional arguments
    /// and which labels a call has.
    func validate(positionalCount: Int, labels: [String], callee: String) throws {
        _ = try bind(positional: Array(repeating: .null, count: positionalCount),
                     keywords: labels.map { ($0, .null) }, callee: callee)
    }
}

/// "did you mean" hints by edit distance.
public enum Suggestions {

    /// `"; did you mean 'print'?"`, or "" when nothing is close.
    static func didYouMean(_ name: String, among candidates: [String]) -> String {
        guard let best = closest(name, among: candidates) else { return "" }
        return "; did you mean '\(best)'?"
    }

    /// The candidate nearest to `name` by edit distance, if close enough to be a typo.
    public static func closest(_ name: String, among candidates: [String]) -> String? {
        let limit = max(1, name.count / 3)
        var best: (String, Int)?
        for candidate in candidates where candidate != name {
            let distance = editDistance(name.lowercased(), candidate.lowercased())
            if distance <= limit, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
