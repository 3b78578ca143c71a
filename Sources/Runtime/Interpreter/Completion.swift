extension Interpreter {
    /// Completions of `word` (the text before the cursor back to a space or bracket) for the REPL:
    /// globals, builtins and keywords; after `value.`, the methods and properties of that value's
    /// type (and a dict's keys); after `group.`, the builtins of that group (`plot.`).
    public func completions(for word: String) -> [String] {
        if let dot = word.lastIndex(of: ".") {
            let base = String(word[..<dot])
            let partial = String(word[word.index(after: dot)...])
            var names: [String] = []
            if let value = global(base) {
                names = registry.members[value.typeName].map { Array($0.keys) } ?? []
                if case .dict(let box) = value {
                    names += box.keys.compactMap { if case .string(let key) = $0 { return key } else { return nil } }
                }
            } else if registry.namespaces.contains(base) {
                names = registry.functions(in: base)
            }
            return Set(names.filter { $0.hasPrefix(partial) }).sorted().map { base + "." + $0 }
        }
        let names = globalNames + registry.functions.keys.filter { !$0.contains(".") } + Array(registry.namespaces)
            + Keyword.allCases.map(\.rawValue)
        return Set(names.filter { $0.hasPrefix(word) }).sorted()
    }
}
