extension BuiltinRegistry {
    /// Lists, dicts and sequence utilities.
    func registerCollections() {
        domain = "Collections"
        function("list", [Parameter("items", nil)], doc: "A new list of the elements of `items` (a list, tuple, string, dict's keys or range); empty without an argument.") { a in
            a.isNil("items") ? .list(ListBox([])) : .list(ListBox(try a.sequence("items")))
        }
        function("dict", [.keywords("fields")], doc: "A new dict of the keyword arguments: `dict(lr: 0.1, epochs: 3)`.") { a in a["fields"] }
        function("sorted", [Parameter("items"), Parameter("key", nil), Parameter("reverse", false)],
                 doc: "A new sorted list of `items` (numbers or strings); `key` is a function giving each element's sort key; `reverse: true` sorts descending. Stable.") { a in
            let items = try a.sequence("items")
            let keys = a.isNil("key") ? items : try items.map { try a.interpreter.call(a["key"], positional: [$0]) }
            let order = try Collections.sortedIndices(keys, descending: try a.bool("reverse"))
            return .list(ListBox(order.map { items[$0] }))
        }
        function("reversed", [Parameter("items")], doc: "A new list of `items` in reverse order.") { a in
            .list(ListBox(try a.sequence("items").reversed()))
        }
        function("sum", [Parameter("items"), Parameter("start", 0)], doc: "`start` plus every element of `items`, added with `+`.") { a in
            var total = a["start"]
            for item in try a.sequence("items") { total = try Operators.binary(.add, total, item, a.interpreter) }
            return total
        }
        function("any", [Parameter("items")], doc: "True if any element of `items` is true.") { a in
            .bool(try a.sequence("items").contains { if case .bool(true) = $0 { return true } else { return false } })
        }
        function("all", [Parameter("items")], doc: "True if every element of `items` is true.") { a in
            .bool(try a.sequence("items").allSatisfy { if case .bool(true) = $0 { return true } else { return false } })
        }
        function("zip", [.variadic("lists")], doc: "Tuples pairing the i-th elements of each list, as long as the shortest: `zip([1, 2], [\"a\", \"b\"])` is `[(1, \"a\"), (2, \"b\")]`.") { a in
            let lists = try a.list("lists").map { list -> [Value] in
                guard let items = try Iteration.values(of: list) else { throw BuiltinError("zip: cannot iterate \(list.typeName)") }
                return items
            }
            let count = lists.map(\.count).min() ?? 0
            return .list(ListBox((0..<count).map { index in .tuple(lists.map { $0[index] }) }))
        }
        function("enumerate", [Parameter("items"), Parameter("start", 0)],
                 doc: "Tuples `(index, element)` for each element, counting from `start`: `for (i, x) in enumerate(xs)`.") { a in
            let start = try a.int("start")
            return .list(ListBox(try a.sequence("items").enumerated().map { .tuple([.int(start + $0.offset), $0.element]) }))
        }
        function("map", [Parameter("function"), Parameter("items")],
                 doc: "A new list of `function(x)` for each element `x` of `items`: `map(fn(x) = x * 2, xs)`.") { a in
            .list(ListBox(try a.sequence("items").map { try a.interpreter.call(a["function"], positional: [$0]) }))
        }
        function("filter", [Parameter("function"), Parameter("items")],
                 doc: "A new list of the elements `x` of `items` for which `function(x)` is true.") { a in
            .list(ListBox(try a.sequence("items").filter { item in
                let keep = try a.interpreter.call(a["function"], positional: [item])
                guard case .bool(let flag) = keep else { throw BuiltinError("filter: the function must return true or false, got \(keep.typeName)") }
                return flag
            }))
        }
        registerListMethods()
        registerDictMethods()
    }

    private func registerListMethods() {
        func box(_ a: Arguments) throws -> ListBox {
            guard case .list(let box) = a.receiver else { throw BuiltinError("\(a.builtin.qualifiedName) needs a list") }
            return box
        }
        method("list", "append", [Parameter("item")], doc: "Adds `item` at the end of the list (in place).") { a in
            let list = try box(a)
            // Appending to a full list reallocates it at about twice the size.
            if list.items.count == list.items.capacity { try ListMemory.check(2 * list.items.count) }
            list.items.append(a["item"])
            return .null
        }
        method("list", "extend", [Parameter("items")], doc: "Adds every element of `items` at the end of the list (in place).") { a in
            let list = try box(a), items = try a.sequence("items")
            try ListMemory.check(2 * (list.items.count + items.count))
            list.items.append(contentsOf: items)
            return .null
        }
        method("list", "insert", [Parameter("index"), Parameter("item")], doc: "Inserts `item` before position `index` (in place).") { a in
            let list = try box(a)
            let index = try a.int("index")
            list.items.insert(a["item"], at: Swift.min(Swift.max(index < 0 ? index + list.items.count : index, 0), list.items.count))
            return .null
        }
        method("list", "pop", [Parameter("index", -1)], doc: "Removes and returns the element at `index` (the last by default).") { a in
            let list = try box(a)
            return list.items.remove(at: try Access.position(.int(try a.int("index")), count: list.items.count, a.receiver))
        }
        method("list", "index", [Parameter("item")], doc: "Position of the first element equal to `item`; an error if absent.") { a in
            guard let index = try box(a).items.firstIndex(where: { Operators.equal($0, a["item"]) }) else {
                throw BuiltinError("list.index: \(a["item"].repr) is not in the list")
            }
            return .int(index)
        }
        method("list", "copy", [], doc: "A shallow copy of the list.") { a in .list(ListBox(try box(a).items)) }
    }

    private func registerDictMethods() {
        func box(_ a: Arguments) throws -> DictBox {
            guard case .dict(let box) = a.receiver else { throw BuiltinError("\(a.builtin.qualifiedName) needs a dict") }
            return box
        }
        func key(_ a: Arguments) throws -> DictKey {
            guard let key = DictKey(a["key"]) else { throw BuiltinError("dict keys must be strings, ints or bools, got \(a["key"].typeName)") }
            return key
        }
        method("dict", "keys", [], doc: "The keys, in insertion order, as a list.") { a in .list(ListBox(try box(a).keys.map(\.value))) }
        method("dict", "values", [], doc: "The values, in insertion order, as a list.") { a in .list(ListBox(try box(a).pairs.map(\.value))) }
        method("dict", "items", [], doc: "`(key, value)` tuples in insertion order: `for (k, v) in d.items()`.") { a in
            .list(ListBox(try box(a).pairs.map { .tuple([$0.key.value, $0.value]) }))
        }
        method("dict", "get", [Parameter("key"), Parameter("default", nil)], doc: "The value for `key`, or `default` when absent.") { a in
            try box(a)[try key(a)] ?? a["default"]
        }
        method("dict", "pop", [Parameter("key"), Parameter("default", nil)], doc: "Removes `key` and returns its value (or `default` when absent).") { a in
            let dict = try box(a), k = try key(a)
            let value = dict[k]
            dict[k] = nil
            return value ?? a["default"]
        }
        method("dict", "update", [Parameter("other")], doc: "Copies every key of the dict `other` into this dict (in place).") { a in
            let dict = try box(a)
            for pair in try a.dict("other").pairs { dict[pair.key] = pair.value }
            return .null
        }
        method("dict", "copy", [], doc: "A shallow copy of the dict.") { a in
            let copy = DictBox()
            for pair in try box(a).pairs { copy[pair.key] = pair.value }
            return .dict(copy)
        }
    }
}

enum Collections {
    /// Positions of `keys` in sorted order (stable); all numbers or all strings.
    static func sortedIndices(_ keys: [Value], descending: Bool) throws -> [Int] {
        if let numbers = keys.map(\.asDouble) as? [Double] {
            return keys.indices.sorted { numbers[$0] != numbers[$1] ? (numbers[$0] < numbers[$1]) != descending : $0 < $1 }
        }
        let strings = try keys.map { key -> String in
            guard case .string(let text) = key else { throw BuiltinError("sorted: can only sort numbers or strings, got \(key.typeName)") }
            return text
        }
        return keys.indices.sorted { strings[$0] != strings[$1] ? (strings[$0] < strings[$1]) != descending : $0 < $1 }
    }
}
