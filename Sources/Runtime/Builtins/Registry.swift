/// One parameter of a builtin: a name, an optional default, and whether it gathers extra
/// positional (`*values`) or keyword (`**metrics`) arguments.
public struct Parameter {
    public enum Kind { case normal, variadic, keywords }
    public let name: String
    public let defaultValue: Value?
    public let kind: Kind

    /// A required parameter.
    public init(_ name: String) {
        self.name = name
        self.defaultValue = nil
        self.kind = .normal
    }

    /// An optional parameter (`nil` here is the script's nil, not "required").
    public init(_ name: String, _ defaultValue: Value) {
        self.name = name
        self.defaultValue = defaultValue
        self.kind = .normal
    }

    private init(name: String, kind: Kind) {
        self.name = name
        self.defaultValue = nil
        self.kind = kind
    }

    /// `*name`: any number of extra positional arguments, passed as a tuple.
    public static func variadic(_ name: String) -> Parameter { Parameter(name: name, kind: .variadic) }
    /// `**name`: any number of extra keyword arguments, passed as a dict.
    public static func keywords(_ name: String) -> Parameter { Parameter(name: name, kind: .keywords) }

    var display: String {
        switch kind {
        case .variadic: return "*" + name
        case .keywords: return "**" + name
        case .normal: return defaultValue.map { "\(name) = \($0.repr)" } ?? name
        }
    }
}

/// A builtin function, method or property: its signature, its one-paragraph doc and its code.
/// Every name a script can call without defining it is one of these, in one `BuiltinRegistry`.
public final class Builtin {
    public enum Kind { case function, method, property }
    public let name: String
    /// For methods and properties, the type name of the receiver (`"list"`, `"Tensor"`).
    public let owner: String?
    public let kind: Kind
    /// Group in `help()` and the README table (`"Core"`, `"Math"`, `"Audio"`, …).
    public let domain: String
    public let parameters: [Parameter]
    public let doc: String
    let body: (Arguments) throws -> Value
    let shape: ParameterShape

    init(name: String, owner: String?, kind: Kind, domain: String, parameters: [Parameter], doc: String,
         body: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.owner = owner
        self.kind = kind
        self.domain = domain
        self.parameters = parameters
        self.doc = doc
        self.body = body
        self.shape = ParameterShape(parameters)
    }

    /// `sqrt` or `list.append`.
    public var qualifiedName: String { owner.map { "\($0).\(name)" } ?? name }

    /// `print(*values, sep = " ", end = "\n")`
    public var signature: String {
        if kind == .property { return qualifiedName }
        return qualifiedName + "(" + parameters.map(\.display).joined(separator: ", ") + ")"
    }

    /// The doc's first sentence, for tables and completion lists.
    public var summary: String {
        let end = doc.range(of: ". ")?.lowerBound ?? doc.endIndex
        let sentence = String(doc[..<end])
        return sentence.hasSuffix(".") ? sentence : sentence + "."
    }

    /// Binds the arguments to the parameters (defaults filled, extras gathered) and runs the body.
    public func invoke(_ interpreter: Interpreter, receiver: Value = .null, positional: [Value],
                       keywords: [(String, Value)]) throws -> Value {
        // Fast path for the common call: positional arguments only, the rest defaulted.
        if keywords.isEmpty, shape.variadic == nil, shape.keywords == nil, positional.count <= parameters.count,
           parameters[positional.count...].allSatisfy({ $0.defaultValue != nil }) {
            var values = positional
            for parameter in parameters[positional.count...] { values.append(parameter.defaultValue ?? .null) }
            return try body(Arguments(interpreter: interpreter, builtin: self, receiver: receiver, values: values))
        }
        let bound = try shape.bind(positional: positional, keywords: keywords, callee: signature)
        var values: [Value] = []
        values.reserveCapacity(bound.count)
        for (index, value) in bound.enumerated() {
            values.append(value ?? parameters[index].defaultValue ?? .null)
        }
        return try body(Arguments(interpreter: interpreter, builtin: self, receiver: receiver, values: values))
    }
}

/// Every builtin, method and property, with signatures and docs. `help`, REPL completion,
/// `serscript check`, `--list-builtins` and the language tests all read this one table.
/// Each domain registers its entries in one file (`Builtins/Core.swift`, `Builtins/Audio.swift`, …).
public final class BuiltinRegistry {
    /// Free functions by name.
    public private(set) var functions: [String: Builtin] = [:]
    /// Methods and properties by receiver type name, then name.
    public private(set) var members: [String: [String: Builtin]] = [:]
    /// Every entry in registration order.
    public private(set) var entries: [Builtin] = []
    /// Names registered twice (a bug the registry tests catch).
    public private(set) var duplicates: [String] = []
    /// The domain that `function`/`method`/`property` registrations are filed under.
    public var domain = "Core"

    public init() {}

    /// The registry with every domain registered; built once per process.
    public static let standard: BuiltinRegistry = {
        let registry = BuiltinRegistry()
        registry.registerCore()
        registry.registerMath()
        registry.registerCollections()
        registry.registerStrings()
        registry.registerFiles()
        registry.registerRun()
        registry.registerAudio()
        registry.registerSpectral()
        registry.registerSpectrum()
        registry.registerData()
        registry.registerAudioSet()
        registry.registerAugment()
        registry.registerAugmentApply()
        registry.registerFeatureSet()
        registry.registerFeatures()
        registry.registerPlots()
        registry.registerTensor()
        registry.registerTensorExport()
        registry.registerLayers()
        registry.registerModels()
        registry.registerTransferLearning()
        registry.registerOptim()
        registry.registerTrain()
        registry.registerCrossValidation()
        registry.registerEvaluate()
        registry.registerReportAudio()
        registry.registerCheckpoint()
        registry.registerBundle()
        return registry
    }()

    /// Registers a free function.
    public func function(_ name: String, _ parameters: [Parameter], doc: String,
                         _ body: @escaping (Arguments) throws -> Value) {
        add(Builtin(name: name, owner: nil, kind: .function, domain: domain, parameters: parameters, doc: doc, body: body))
    }

    /// Registers a method on values whose `typeName` is `type`; the body reads the receiver from `Arguments.receiver`.
    public func method(_ type: String, _ name: String, _ parameters: [Parameter], doc: String,
                       _ body: @escaping (Arguments) throws -> Value) {
        add(Builtin(name: name, owner: type, kind: .method, domain: domain, parameters: parameters, doc: doc, body: body))
    }

    /// Registers a read-only attribute (`x.shape`), computed from the receiver on access.
    public func property(_ type: String, _ name: String, doc: String, _ body: @escaping (Arguments) throws -> Value) {
        add(Builtin(name: name, owner: type, kind: .property, domain: domain, parameters: [], doc: doc, body: body))
    }

    private func add(_ builtin: Builtin) {
        namespaceCache = nil
        if let owner = builtin.owner {
            if members[owner]?[builtin.name] != nil { duplicates.append(builtin.qualifiedName) }
            members[owner, default: [:]][builtin.name] = builtin
        } else {
            if functions[builtin.name] != nil { duplicates.append(builtin.name) }
            functions[builtin.name] = builtin
        }
        entries.append(builtin)
    }

    /// The method or property `name` of values of type `type`.
    public func member(_ type: String, _ name: String) -> Builtin? {
        members[type]?[name]
    }

    /// `"sqrt"` or `"list.append"`.
    public func lookup(_ qualifiedName: String) -> Builtin? {
        if let builtin = functions[qualifiedName] { return builtin }
        let parts = qualifiedName.split(separator: ".", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return member(String(parts[0]), String(parts[1]))
    }

    /// Prefixes of dotted function names (`plot` for `plot.bar`): groups a script calls as `plot.bar(…)`.
    public var namespaces: Set<String> {
        if let namespaceCache { return namespaceCache }
        let groups = Set(functions.keys.compactMap { name in name.firstIndex(of: ".").map { String(name[..<$0]) } })
        namespaceCache = groups
        return groups
    }
    private var namespaceCache: Set<String>?

    /// The function names in group `namespace`, without the prefix.
    public func functions(in namespace: String) -> [String] {
        functions.keys.filter { $0.hasPrefix(namespace + ".") }.map { String($0.dropFirst(namespace.count + 1)) }.sorted()
    }

    /// Domains in first-registration order.
    public var domains: [String] {
        var seen: [String] = []
        for entry in entries where !seen.contains(entry.domain) { seen.append(entry.domain) }
        return seen
    }
}
