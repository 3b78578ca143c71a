import EngineTensor

/// A layer or a model: named parameters, buffers and sub-modules, a train/eval mode and a forward pass.
///
/// Names follow PyTorch's state-dict keys: a module's own entries by their attribute name
/// (`weight`, `running_mean`), sub-modules' entries prefixed with the sub-module's name and a dot
/// (`conv2Dblock.0.weight`, `transf_encoder.layers.3.self_attn.in_proj_weight`). Subclasses
/// register their entries in `init` and override `forward` and `typeDescription`.
open class Module {
    /// Whether the module (and its children) behave as in training: dropout active, batch norm
    /// using and updating batch statistics. Change it with `train()` / `eval()`.
    public private(set) var isTraining = true
    private(set) var ownParameters: [(name: String, tensor: Tensor)] = []
    private(set) var ownBuffers: [(name: String, tensor: Tensor)] = []
    private(set) var children: [(name: String, module: Module)] = []
    /// The parent's name for this module and the parent, set on registration (for error messages).
    private var placement: (name: String, parent: WeakModule)?

    public init() {}

    /// Computes the output for `input`. Subclasses override it.
    open func forward(_ input: Tensor) throws -> Tensor {
        throw LayerError(layer: self, reason: "\(typeDescription) does not define forward")
    }

    /// The layer's constructor-like description, e.g. `Linear(in: 320, out: 8)`.
    open var typeDescription: String { String(describing: Swift.type(of: self)) }

    /// Runs `forward`, recording the output shape while a summary is being taken.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let output = try forward(input)
        SummaryRecorder.active?.record(self, output: output)
        return output
    }

    // MARK: registration

    /// Adds a trainable parameter under `name` (marks it as requiring gradients).
    public func registerParameter(_ name: String, _ tensor: Tensor) {
        tensor.requiresGrad = true
        ownParameters.append((name, tensor))
    }

    /// Adds a non-trainable state tensor under `name` (running statistics, counters).
    public func registerBuffer(_ name: String, _ tensor: Tensor) {
        ownBuffers.append((name, tensor))
    }

    /// Adds a sub-module under `name` and returns it.
    @discardableResult
    public func registerModule<M: Module>(_ name: String, _ module: M) -> M {
        module.placement = (name, WeakModule(self))
        children.append((name, module))
        return module
    }

    /// Dotted path of this module inside the model it belongs to (empty for the root).
    public var path: String {
        guard let (name, parent) = placement, let owner = parent.module else { return "" }
        let prefix = owner.path
        return prefix.isEmpty ? name : "\(prefix).\(name)"
    }

    // MARK: traversal

    /// Sub-modules in registration order with their own names.
    public var namedChildren: [(name: String, module: Module)] { children }

    /// Every module of the tree (this one first) with its dotted path.
    public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
        var result: [(name: String, module: Module)] = [(prefix, self)]
        for (name, child) in children {
            result += child.namedModules(prefix: prefix.isEmpty ? name : "\(prefix).\(name)")
        }
        return result
    }

    /// All parameters of the tree with their state-dict keys, in PyTorch's order.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        namedModules().flatMap { path, module in
            module.ownParameters.map { (path.isEmpty ? $0.name : "\(path).\($0.name)", $0.tensor) }
        }
    }

    /// All buffers of the tree with their state-dict keys.
    public func namedBuffers() -> [(name: String, tensor: Tensor)] {
        namedModules().flatMap { path, module in
            module.ownBuffers.map { (path.isEmpty ? $0.name : "\(path).\($0.name)", $0.tensor) }
        }
    }

    /// All parameters of the tree (what an optimizer updates).
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Number of trainable scalars (parameters that require gradients), as the notebooks print it.
    public var trainableParameterCount: Int {
        parameters().filter(\.requiresGrad).reduce(0) { $0 + $1.count }
    }

    // MARK: mode

    /// Switches the whole tree to training (`true`) or evaluation (`false`) behaviour.
    public func train(_ training: Bool = true) {
        for (_, module) in namedModules() { module.isTraining = training }
    }

    /// Switches the whole tree to evaluation behaviour (PyTorch's `model.eval()`).
    public func eval() { train(false) }

    /// Drops every parameter's accumulated gradient.
    public func zeroGrad() {
        for parameter in parameters() { parameter.zeroGrad() }
    }
}

/// A weak reference to a parent module (children must not keep their parents alive).
struct WeakModule {
    package weak var module: Module?
    init(_ module: Module) { self.module = module }
}

/// A layer could not run on its input; names the layer (path and type) and the shapes at fault.
public struct LayerError: Error, CustomStringConvertible {
    /// Where the layer sits and what it is, e.g. `out_linear (Linear(in: 320, out: 8))`.
    public var layer: String
    /// What is wrong, including the expected and the actual shape.
    public var reason: String

    /// An error of `layer`, described by its path and type.
    public init(layer: Module, reason: String) {
        let path = layer.path
        self.layer = path.isEmpty ? layer.typeDescription : "\(path) (\(layer.typeDescription))"
        self.reason = reason
    }

    public var description: String { "\(layer): \(reason)" }
}

extension Module {
    /// Runs `body`, re-throwing any tensor-op failure as a `LayerError` naming this layer.
    func attributed<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as LayerError { throw error } catch {
            throw LayerError(layer: self, reason: "\(error)")
        }
    }

    /// Throws unless `input` has one of `ranks` dimensions; `expected` describes the shape wanted.
    func requireRank(_ input: Tensor, _ ranks: Set<Int>, expected: String) throws {
        guard ranks.contains(input.rank) else {
            throw LayerError(layer: self, reason: "expected input of shape \(expected), got \(input.shape)")
        }
    }
}
