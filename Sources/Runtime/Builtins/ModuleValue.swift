import Engine
import Foundation

/// A layer or model as a script value. Calling it (`model(x)`) runs its forward pass; printing it
/// shows the layer table and the trainable parameter count.
public final class ModuleValue: ScriptObject {
    public let module: Module
    /// The input shape (with batch) used for the printed table's output shapes, when known.
    public var exampleShape: [Int]?

    public init(_ module: Module, exampleShape: [Int]? = nil) {
        self.module = module
        self.exampleShape = exampleShape
    }

    public var typeName: String { "Module" }
    public var summary: String {
        "\(module.typeDescription) (\(ModuleValue.grouped(module.trainableParameterCount)) trainable parameters)"
    }
    public var details: String {
        // The table with output shapes when a shape is known; without shapes if that pass fails.
        (try? module.summary(inputShape: exampleShape)) ?? ((try? module.summary()) ?? summary)
    }

    /// `395176` → `395,176`.
    static func grouped(_ value: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: value)) ?? String(value)
    }
}

extension Arguments {
    /// The layer or model at `index`.
    func module(_ name: String) throws -> Module {
        try object(name, as: ModuleValue.self, named: "layer or model (e.g. linear(4, 2))").module
    }

    /// The layers at `index`: a tuple or list of modules (variadic `*layers`).
    func modules(_ name: String) throws -> [Module] {
        try list(name).enumerated().map { position, value in
            guard case .object(let object) = value, let wrapped = object as? ModuleValue else {
                throw BuiltinError("\(builtin.qualifiedName): argument \(position + 1) must be a layer, got \(value.typeName)")
            }
            return wrapped.module
        }
    }

    /// An int `k` as `(k, k)`, or a pair `[a, b]` (kernel sizes, strides, padding).
    func pair(_ name: String) throws -> (Int, Int) {
        guard case let (first?, second?) = try pair(name, allowingNil: false) else {
            throw BuiltinError("\(builtin.qualifiedName): internal: nil in '\(name)'")
        }
        return (first, second)
    }

    /// An int `k` as `(k, k)`, or a pair `[a, b]` whose items may be nil when `allowingNil` (an adaptive
    /// pool's output size, where nil keeps the input's size, PyTorch's None).
    func pair(_ name: String, allowingNil: Bool) throws -> (Int?, Int?) {
        guard let items = self[name].elements else {
            let value = try int(name)
            return (value, value)
        }
        let sizes = items.map { item -> Int?? in
            switch item {
            case .int(let value): return .some(value)
            case .null where allowingNil: return .some(nil)
            default: return nil
            }
        }
        guard sizes.count == 2, let first = sizes[0], let second = sizes[1] else {
            throw BuiltinError("\(builtin.qualifiedName): '\(name)' must be an int or a pair [a, b]\(allowingNil ? " of ints or nil" : ""), got \(self[name].repr)")
        }
        return (first, second)
    }

    /// A list of ints (dims, shapes).
    func ints(_ name: String) throws -> [Int] {
        if case .int(let single) = self[name] { return [single] }
        return try list(name).map { value in
            guard case .int(let number) = value else {
                throw BuiltinError("\(builtin.qualifiedName): '\(name)' must hold ints, got \(value.repr)")
            }
            return number
        }
    }

    /// A probability-like float, as the Engine's layers take it.
    func float(_ name: String) throws -> Float { Float(try double(name)) }
}
