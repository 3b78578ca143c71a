import Engine

extension Value {
    /// The value as the Engine's `JSONValue` (for metrics, params and reports): ints and finite floats
    /// become numbers, NaN and infinities the strings "nan", "inf", "-inf", lists and tuples arrays, dicts objects with text keys, anything else its repr.
    public var json: JSONValue { json(depth: 0) }

    private func json(depth: Int) -> JSONValue {
        guard depth < Value.maxPrintDepth else { return .null }
        switch self {
        case .undefined, .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(Double(number))
        // JSON has no NaN or infinity: they are written as the strings "nan", "inf", "-inf" (not null,
        // which reads as "missing"), so a diverged run's metrics still say what happened.
        case .float(let number): return number.isFinite ? .number(number) : .string(number.isNaN ? "nan" : number > 0 ? "inf" : "-inf")
        case .string(let text): return .string(text)
        case .list, .tuple: return .array((elements ?? []).map { $0.json(depth: depth + 1) })
        case .dict(let box):
            var members: [String: JSONValue] = [:]
            for pair in box.pairs { members[pair.key.value.text] = pair.value.json(depth: depth + 1) }
            return .object(members)
        default: return .string(repr)
        }
    }
}
