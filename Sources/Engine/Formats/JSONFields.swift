/// Typed reads of a JSON object's members, each failure naming `context` and the key.
package struct JSONFields {
    package let members: [String: JSONValue]?
    package let context: String

    package init(_ value: JSONValue, _ context: String) {
        members = value.objectValue
        self.context = context
    }

    package func value(_ key: String) throws -> JSONValue {
        guard let members else { throw DataError("\(context) must be a JSON object") }
        guard let value = members[key] else { throw DataError("\(context): missing '\(key)'") }
        return value
    }
    package func number(_ key: String) throws -> Double {
        guard let number = try value(key).numberValue else { throw DataError("\(context): '\(key)' must be a number") }
        return number
    }
    package func optionalNumber(_ key: String) throws -> Double? {
        if case .null = try value(key) { return nil }
        return try number(key)
    }
    package func int(_ key: String) throws -> Int {
        guard let number = Int(exactly: try number(key)) else { throw DataError("\(context): '\(key)' must be a whole number") }
        return number
    }
    package func bool(_ key: String) throws -> Bool {
        guard case .bool(let flag) = try value(key) else { throw DataError("\(context): '\(key)' must be true or false") }
        return flag
    }
    package func string(_ key: String) throws -> String {
        guard case .string(let text) = try value(key) else { throw DataError("\(context): '\(key)' must be a string") }
        return text
    }
}
