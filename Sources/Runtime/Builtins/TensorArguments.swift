import Engine

/// Reading tensors, labels and nested number lists out of script arguments.
extension Arguments {
    /// A tensor argument: a Tensor value, a number (a scalar tensor) or a nested list of numbers.
    func tensor(_ name: String) throws -> Tensor {
        do { return try TensorLiteral.tensor(of: self[name]) } catch let error as BuiltinError {
            throw BuiltinError("\(builtin.qualifiedName): '\(name)' \(error.description)")
        }
    }

    /// Integer class labels: a list of ints or a tensor of whole numbers.
    func labels(_ name: String) throws -> [Int] {
        let value = self[name]
        if case .object(let object) = value, object is TensorValue {} else {
            _ = try list(name)   // neither a tensor nor a list: the error names the parameter
        }
        return try TensorLiteral.labels(of: value, for: builtin.qualifiedName)
    }
}

/// Nested script lists ↔ tensors.
enum TensorLiteral {
    /// A Tensor value itself, or a number / nested number list as a new tensor.
    static func tensor(of value: Value) throws -> Tensor {
        if case .object(let object) = value, let tensor = object as? TensorValue { return tensor.tensor }
        return try tensor(from: value)
    }

    /// Integer class labels: a list of ints or a tensor of whole numbers; errors name `owner`.
    static func labels(of value: Value, for owner: String) throws -> [Int] {
        if case .object(let object) = value, let tensor = object as? TensorValue {
            return try tensor.tensor.values.map { x in
                guard x.rounded() == x, x >= 0, x < 1e9 else {
                    throw BuiltinError("\(owner): labels must be whole numbers ≥ 0, got \(x)")
                }
                return Int(x)
            }
        }
        guard let items = value.elements else { throw BuiltinError("\(owner): labels must be a list of ints or a tensor, got \(value.typeName)") }
        return try items.map { item in
            guard case .int(let label) = item else {
                throw BuiltinError("\(owner): labels must be ints, got \(item.repr)")
            }
            return label
        }
    }

    /// `[[1, 2], [3, 4]]` → a 2 × 2 tensor; a number → a scalar tensor. Ragged lists are an error.
    static func tensor(from value: Value) throws -> Tensor {
        if let number = value.asDouble { return Tensor(scalar: Float(number)) }
        guard value.elements != nil else { throw BuiltinError("must be a tensor, a number or a list of numbers, got \(value.typeName)") }
        var shape: [Int] = []
        var probe = value
        while let items = probe.elements {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var values: [Float] = []
        values.reserveCapacity(shape.reduce(1, *))
        try flatten(value, shape[...], into: &values)
        return try Tensor(shape: shape, values: values)
    }

    private static func flatten(_ value: Value, _ shape: ArraySlice<Int>, into values: inout [Float]) throws {
        guard let size = shape.first else {
            guard let number = value.asDouble else { throw BuiltinError("must hold only numbers, found \(value.typeName)") }
            values.append(Float(number))
            return
        }
        guard let items = value.elements, items.count == size else {
            throw BuiltinError("is ragged: expected \(size) elements at depth \(shape.startIndex), got \(value.repr.prefix(40))")
        }
        for item in items { try flatten(item, shape.dropFirst(), into: &values) }
    }

    /// The tensor as nested lists of floats (a scalar as a float).
    static func list(from tensor: Tensor) -> Value {
        let values = tensor.values
        func build(_ dims: ArraySlice<Int>, _ offset: Int) -> Value {
            guard let size = dims.first else { return .float(Double(values[offset])) }
            let stride = dims.dropFirst().reduce(1, *)
            return .list(ListBox((0..<size).map { build(dims.dropFirst(), offset + $0 * stride) }))
        }
        return build(tensor.shape[...], 0)
    }
}
