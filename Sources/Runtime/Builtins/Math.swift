import Foundation

extension BuiltinRegistry {
    /// Scalar math on ints and floats.
    func registerMath() {
        domain = "Math"
        func unary(_ name: String, _ doc: String, _ f: @escaping (Double) -> Double, domainCheck: ((Double) -> String?)? = nil) {
            function(name, [Parameter("x")], doc: doc) { a in
                let x = try a.double("x")
                if let problem = domainCheck?(x) { throw BuiltinError("\(name): \(problem)") }
                return .float(f(x))
            }
        }
        unary("sqrt", "Square root of `x` (a float); `x` must not be negative.", { $0.squareRoot() },
              domainCheck: { $0 < 0 ? "square root of negative number \($0)" : nil })
        unary("exp", "e raised to the power `x`.", { Foundation.exp($0) })
        unary("sin", "Sine of `x` radians.", { Foundation.sin($0) })
        unary("cos", "Cosine of `x` radians.", { Foundation.cos($0) })
        function("log", [Parameter("x"), Parameter("base", nil)],
                 doc: "Natural logarithm of `x`, or the logarithm to `base` when given; `x` must be positive.") { a in
            let x = try a.double("x")
            guard x > 0 else { throw BuiltinError("log: logarithm of non-positive number \(x)") }
            if a.isNil("base") { return .float(Foundation.log(x)) }
            let base = try a.double("base")
            guard base > 0, base != 1 else { throw BuiltinError("log: invalid base \(base)") }
            return .float(Foundation.log(x) / Foundation.log(base))
        }
        function("abs", [Parameter("x")], doc: "Absolute value; ints stay ints.") { a in
            if case .int(let n) = a["x"] {
                guard n != Int.min else { throw BuiltinError("abs: integer overflow") }
                return .int(Swift.abs(n))
            }
            return .float(Swift.abs(try a.double("x")))
        }
        function("floor", [Parameter("x")], doc: "Largest int not greater than `x`.") { a in try Math.toInt(Foundation.floor(try a.double("x")), "floor") }
        function("ceil", [Parameter("x")], doc: "Smallest int not less than `x`.") { a in try Math.toInt(Foundation.ceil(try a.double("x")), "ceil") }
        function("round", [Parameter("x"), Parameter("digits", nil)],
                 doc: "`x` rounded to the nearest int (halves to even, as Python), or to `digits` decimals as a float.") { a in
            let x = try a.double("x")
            if a.isNil("digits") { return try Math.toInt(x.rounded(.toNearestOrEven), "round") }
            let scale = Foundation.pow(10, Double(try a.int("digits")))
            return .float((x * scale).rounded(.toNearestOrEven) / scale)
        }
        function("min", [.variadic("values")], doc: "The smallest of the arguments, or of the one list given.") { a in
            try Math.extreme(try a.list("values"), "min", <)
        }
        function("max", [.variadic("values")], doc: "The largest of the arguments, or of the one list given.") { a in
            try Math.extreme(try a.list("values"), "max", >)
        }
    }
}

enum Math {
    static func toInt(_ x: Double, _ name: String) throws -> Value { .int(try exactInt(x, name)) }

    /// `x` truncated to an Int, or an error naming `name` when it is not finite or out of Int's range
    /// (where Swift's conversion would trap).
    static func exactInt(_ x: Double, _ name: String) throws -> Int {
        guard x.isFinite, Swift.abs(x) < 9.2e18 else { throw BuiltinError("\(name): \(x) does not fit in an int") }
        return Int(x)
    }

    static func extreme(_ arguments: [Value], _ name: String, _ better: (Double, Double) -> Bool) throws -> Value {
        var items = arguments
        if items.count == 1, let inner = try Iteration.values(of: items[0]) { items = inner }
        guard var best = items.first else { throw BuiltinError("\(name): no values") }
        for item in items.dropFirst() {
            switch (item, best) {
            case (.string(let x), .string(let y)): if better(x < y ? 0 : x > y ? 2 : 1, 1) { best = item }
            default:
                guard let x = item.asDouble, let y = best.asDouble else {
                    throw BuiltinError("\(name): cannot compare \(item.typeName) with \(best.typeName)")
                }
                if better(x, y) { best = item }
            }
        }
        return best
    }
}
