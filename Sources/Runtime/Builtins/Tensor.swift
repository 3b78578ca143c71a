import Engine

extension BuiltinRegistry {
    /// Tensor creation, arithmetic operators and methods (PyTorch names): what scripts and REPL
    /// exploration need. Every op is differentiable, so hand-written training loops work.
    func registerTensor() {
        domain = "Tensor"
        let wrap = { (tensor: Tensor) -> Value in .object(TensorValue(tensor)) }
        function("tensor", [Parameter("data"), Parameter("requires_grad", false)],
                 doc: "A float32 tensor from a number or nested lists of numbers: `tensor([[1, 2], [3, 4]])` is 2 × 2.") { a in
            let made = try a.tensor("data").clone()
            made.requiresGrad = try a.bool("requires_grad")
            return wrap(made)
        }
        function("zeros", [Parameter("shape")], doc: "A tensor of zeros of `shape` (an int or a list).") { a in wrap(try Tensor.zeros(try a.ints("shape"))) }
        function("ones", [Parameter("shape")], doc: "A tensor of ones of `shape` (an int or a list).") { a in wrap(try Tensor.ones(try a.ints("shape"))) }
        function("full", [Parameter("shape"), Parameter("value")], doc: "A tensor of `shape` filled with `value`.") { a in
            wrap(try Tensor.full(try a.ints("shape"), try a.float("value")))
        }
        function("randn", [Parameter("shape"), Parameter("seed", nil)],
                 doc: "A tensor of standard normal samples; from its own generator when `seed` is given, else from the Engine's global one (reseeded by `seed(n)`).") { a in
            wrap(try Tensor.randn(try a.ints("shape"), generator: try Self.generator(a, "seed")))
        }
        function("rand", [Parameter("shape"), Parameter("seed", nil)],
                 doc: "A tensor of uniform samples in [0, 1); from its own generator when `seed` is given.") { a in
            wrap(try Tensor.uniform(try a.ints("shape"), generator: try Self.generator(a, "seed")))
        }
        function("arange", [Parameter("start"), Parameter("end", nil), Parameter("step", 1)],
                 doc: "The numbers from `start` up to (not including) `end` by `step` as a 1-D tensor; `arange(n)` counts 0..n-1.") { a in
            a.isNil("end") ? wrap(try Tensor.arange(0, try a.float("start"), step: try a.float("step")))
                       : wrap(try Tensor.arange(try a.float("start"), try a.float("end"), step: try a.float("step")))
        }
        function("matmul", [Parameter("a"), Parameter("b")],
                 doc: "Matrix product with PyTorch's `matmul` rules (vectors, matrices, broadcast batches).") { a in
            wrap(try Tensor.matmul(try a.tensor("a"), try a.tensor("b")))
        }
        function("cat", [Parameter("tensors"), Parameter("dim", 0)], doc: "Joins tensors along an existing dimension `dim`.") { a in
            wrap(try Tensor.concat(try Self.tensorList(a, "tensors"), dim: try a.int("dim")))
        }
        function("stack", [Parameter("tensors"), Parameter("dim", 0)], doc: "Stacks equal-shape tensors along a new dimension `dim`.") { a in
            wrap(try Tensor.stack(try Self.tensorList(a, "tensors"), dim: try a.int("dim")))
        }
        registerTensorOperators(wrap)
        registerTensorMethods(wrap)
    }

    private func registerTensorOperators(_ wrap: @escaping (Tensor) -> Value) {
        let ops: [(String, String, (Tensor, Tensor) throws -> Tensor, (Tensor, Float) -> Tensor, (Float, Tensor) -> Tensor)] = [
            ("+", "sum", { try $0 + $1 }, { $0 + $1 }, { $0 + $1 }),
            ("-", "difference", { try $0 - $1 }, { $0 - $1 }, { $0 - $1 }),
            ("*", "product", { try $0 * $1 }, { $0 * $1 }, { $0 * $1 }),
            ("/", "quotient", { try $0 / $1 }, { $0 / $1 }, { $0 / $1 }),
        ]
        for (symbol, noun, tensors, right, left) in ops {
            method("Tensor", symbol, [Parameter("other")],
                   doc: "Elementwise \(noun) with a tensor (broadcasting as PyTorch) or a number: `t \(symbol) x`.") { a in
                let me = try a.receiver(as: TensorValue.self).tensor
                if let number = a["other"].asDouble { return wrap(right(me, Float(number))) }
                return wrap(try tensors(me, try a.tensor("other")))
            }
            method("Tensor", "r" + symbol, [Parameter("other")],
                   doc: "Elementwise \(noun) with the number or tensor on the left: `x \(symbol) t`.") { a in
                let me = try a.receiver(as: TensorValue.self).tensor
                if let number = a["other"].asDouble { return wrap(left(Float(number), me)) }
                return wrap(try tensors(try a.tensor("other"), me))
            }
        }
        method("Tensor", "**", [Parameter("exponent")], doc: "Elementwise power by a number: `t ** 2`.") { a in
            wrap(try a.receiver(as: TensorValue.self).tensor.pow(try a.float("exponent")))
        }
        method("Tensor", "neg", [], doc: "Elementwise negation: `-t`.") { a in wrap(-1 * (try a.receiver(as: TensorValue.self).tensor)) }
    }

    private func registerTensorMethods(_ wrap: @escaping (Tensor) -> Value) {
        let me = { (a: Arguments) throws -> Tensor in try a.receiver(as: TensorValue.self).tensor }
        let ints = { (values: [Int]) -> Value in .list(ListBox(values.map { .int($0) })) }
        property("Tensor", "shape", doc: "The dimensions, outermost first, as a list of ints.") { a in ints(try me(a).shape) }
        property("Tensor", "ndim", doc: "The number of dimensions.") { a in .int(try me(a).rank) }
        property("Tensor", "numel", doc: "The number of elements.") { a in .int(try me(a).count) }
        property("Tensor", "grad", doc: "The gradient accumulated by `backward()`, or nil.") { a in try me(a).grad.map(wrap) ?? .null }
        property("Tensor", "requires_grad", doc: "Whether operations on this tensor are recorded for `backward()`.") { a in .bool(try me(a).requiresGrad) }
        method("Tensor", "len", [], doc: "Size of the first dimension (`len(t)`).") { a in
            let tensor = try me(a)
            guard let first = tensor.shape.first else { throw BuiltinError("len() of a 0-d tensor") }
            return .int(first)
        }
        method("Tensor", "[]", [Parameter("index")],
               doc: "`t[i]` selects index `i` of the first dimension (negative from the end); `t[[i, j]]` gathers those rows.") { a in
            let tensor = try me(a)
            guard let size = tensor.shape.first else { throw BuiltinError("cannot index a 0-d tensor; use .item()") }
            if a["index"].elements != nil {
                return wrap(try tensor.indexSelect(dim: 0, indices: try a.ints("index").map { $0 < 0 ? $0 + size : $0 }))
            }
            let index = try a.int("index")
            guard index >= -size, index < size else { throw BuiltinError("index \(index) is out of range for dimension 0 of size \(size)") }
            return wrap(try tensor.select(dim: 0, index: index < 0 ? index + size : index))
        }
        method("Tensor", "item", [], doc: "The value of a one-element tensor as a float.") { a in .float(Double(try me(a).item())) }
        method("Tensor", "tolist", [], doc: "The values as nested lists of floats (a float for a 0-d tensor).") { a in TensorLiteral.list(from: try me(a)) }
        method("Tensor", "reshape", [Parameter("shape")], doc: "The same values in `shape` (one entry may be -1).") { a in wrap(try me(a).reshape(try a.ints("shape"))) }
        method("Tensor", "permute", [Parameter("dims")], doc: "Dimensions reordered: output dimension i is input dimension `dims[i]`.") { a in
            wrap(try me(a).permute(try a.ints("dims")))
        }
        method("Tensor", "transpose", [Parameter("dim0"), Parameter("dim1")], doc: "Dimensions `dim0` and `dim1` swapped.") { a in
            wrap(try me(a).transpose(try a.int("dim0"), try a.int("dim1")))
        }
        method("Tensor", "squeeze", [Parameter("dim", nil)], doc: "Dimension `dim` of size 1 removed (every size-1 dimension without `dim`).") { a in
            a.isNil("dim") ? wrap(try me(a).squeeze()) : wrap(try me(a).squeeze(try a.int("dim")))
        }
        method("Tensor", "unsqueeze", [Parameter("dim")], doc: "A dimension of size 1 inserted at `dim`.") { a in wrap(try me(a).unsqueeze(try a.int("dim"))) }
        method("Tensor", "flatten", [Parameter("start_dim", 0), Parameter("end_dim", -1)], doc: "Dimensions `start_dim`…`end_dim` merged into one.") { a in
            wrap(try me(a).flatten(startDim: try a.int("start_dim"), endDim: try a.int("end_dim")))
        }
        func reduction(_ name: String, _ noun: String, _ body: @escaping (Tensor, [Int], Bool) throws -> Tensor) {
            method("Tensor", name, [Parameter("dim", nil), Parameter("keepdim", false)],
                   doc: "The \(noun) over `dim` (an int or a list; every element when nil), keeping reduced dimensions as size 1 with `keepdim`.") { a in
                wrap(try body(try me(a), a.isNil("dim") ? [] : try a.ints("dim"), try a.bool("keepdim")))
            }
        }
        reduction("sum", "sum") { try $0.sum(dims: $1, keepDim: $2) }
        reduction("mean", "mean") { try $0.mean(dims: $1, keepDim: $2) }
        reduction("std", "standard deviation (Bessel-corrected)") { try $0.std(dims: $1, keepDim: $2) }
        method("Tensor", "max", [Parameter("dim", nil), Parameter("keepdim", false)],
               doc: "The largest element (without `dim`), or the maxima along `dim` as a tensor (indices: `argmax`).") { a in
            a.isNil("dim") ? wrap(try me(a).max()) : wrap(try me(a).max(dim: try a.int("dim"), keepDim: try a.bool("keepdim")).values)
        }
        method("Tensor", "min", [Parameter("dim", nil), Parameter("keepdim", false)],
               doc: "The smallest element (without `dim`), or the minima along `dim` as a tensor (indices: `argmin`).") { a in
            a.isNil("dim") ? wrap(try me(a).reshape([-1]).min(dim: 0).values) : wrap(try me(a).min(dim: try a.int("dim"), keepDim: try a.bool("keepdim")).values)
        }
        method("Tensor", "argmax", [Parameter("dim", nil), Parameter("keepdim", false)],
               doc: "Index of the largest element along `dim` as a tensor of whole numbers (of the flattened tensor without `dim`, as an int).") { a in
            if a.isNil("dim") { return .int(Int(try me(a).reshape([-1]).argmax(dim: 0).item())) }
            return wrap(try me(a).argmax(dim: try a.int("dim"), keepDim: try a.bool("keepdim")))
        }
        method("Tensor", "softmax", [Parameter("dim", -1)], doc: "exp(x) / Σ exp(x) along `dim`.") { a in wrap(try me(a).softmax(dim: try a.int("dim"))) }
        method("Tensor", "log_softmax", [Parameter("dim", -1)], doc: "log(softmax(x)) along `dim`, computed stably.") { a in
            wrap(try me(a).logSoftmax(dim: try a.int("dim")))
        }
        let unary: [(String, String, (Tensor) -> Tensor)] = [
            ("relu", "max(0, x)", { $0.relu() }), ("gelu", "x·Φ(x)", { $0.gelu() }), ("tanh", "tanh(x)", { $0.tanh() }),
            ("sigmoid", "1 / (1 + e^−x)", { $0.sigmoid() }), ("exp", "e^x", { $0.exp() }), ("log", "the natural logarithm", { $0.log() }),
            ("sqrt", "the square root", { $0.sqrt() }), ("abs", "|x|", { $0.abs() }),
        ]
        for (name, formula, body) in unary {
            method("Tensor", name, [], doc: "Elementwise \(formula).") { a in wrap(body(try me(a))) }
        }
        method("Tensor", "clamp", [Parameter("min", nil), Parameter("max", nil)], doc: "Values limited to [`min`, `max`] (either may be nil).") { a in
            wrap(try me(a).clamp(min: a.isNil("min") ? -.infinity : try a.float("min"), max: a.isNil("max") ? .infinity : try a.float("max")))
        }
        method("Tensor", "backward", [], doc: "Back-propagates from this scalar (a loss), accumulating `.grad` on every parameter that led to it.") { a in
            try me(a).backward()
            return .null
        }
        method("Tensor", "detach", [], doc: "The same values cut from the graph (no gradient flows through).") { a in wrap(try me(a).detach()) }
        method("Tensor", "clone", [], doc: "A copy of the values (cut from the graph).") { a in wrap(try me(a).clone()) }
    }

    /// A generator seeded from argument `index`, or the global one when it is nil.
    static func generator(_ a: Arguments, _ name: String) throws -> RandomGenerator {
        a.isNil(name) ? .global : RandomGenerator(seed: UInt64(bitPattern: Int64(try a.int(name))))
    }

    static func tensorList(_ a: Arguments, _ name: String) throws -> [Tensor] {
        try a.list(name).map { item in
            guard case .object(let object) = item, let value = object as? TensorValue else {
                throw BuiltinError("\(a.builtin.qualifiedName): expected a list of tensors, found \(item.typeName)")
            }
            return value.tensor
        }
    }
}
