import Engine
import Foundation

extension BuiltinRegistry {
    /// Layers with PyTorch's names and defaults; each returns a Module value that a script calls on a
    /// tensor (`layer(x)`) or composes with `seq` / `parallel`. Weights come from the Engine's global
    /// generator, which `seed(n)` / `--seed` reseed.
    func registerLayers() {
        domain = "Layers"
        let layer = { (module: Module) -> Value in .object(ModuleValue(module)) }

        function("linear", [Parameter("in_features"), Parameter("out_features"), Parameter("bias", true)],
                 doc: "A fully connected layer `x·Wᵀ + b` (PyTorch `nn.Linear`) mapping the last dimension from `in_features` to `out_features`; weights and bias uniform in ±1/√in_features.") { a in
            layer(try Linear(try a.int("in_features"), try a.int("out_features"), bias: try a.bool("bias")))
        }
        registerConvolutionsAndPools(layer)
        function("batchnorm1d", [Parameter("num_features"), Parameter("eps", 1e-5), Parameter("momentum", 0.1)],
                 doc: "Batch normalisation over `(N, C)` or `(N, C, L)` (PyTorch `nn.BatchNorm1d`): batch statistics in training, running statistics in eval.") { a in
            layer(try BatchNorm1d(try a.int("num_features"), momentum: try a.float("momentum"), epsilon: try a.float("eps")))
        }
        function("batchnorm2d", [Parameter("num_features"), Parameter("eps", 1e-5), Parameter("momentum", 0.1)],
                 doc: "Batch normalisation over `(N, C, H, W)` per channel (PyTorch `nn.BatchNorm2d`): batch statistics in training, running statistics in eval.") { a in
            layer(try BatchNorm2d(try a.int("num_features"), momentum: try a.float("momentum"), epsilon: try a.float("eps")))
        }
        function("layernorm", [Parameter("normalized_shape"), Parameter("eps", 1e-5)],
                 doc: "Layer normalisation over the trailing dimensions `normalized_shape` (an int or a list), with a learned scale and shift (PyTorch `nn.LayerNorm`).") { a in
            layer(try LayerNorm(try a.ints("normalized_shape"), epsilon: try a.float("eps")))
        }
        function("dropout", [Parameter("p", 0.5)],
                 doc: "Zeroes each element with probability `p` in training and scales the rest by 1/(1−p); the identity in eval mode (PyTorch `nn.Dropout`).") { a in
            layer(try Dropout(try a.float("p"), generator: RandomGenerator.global.fork()))
        }
        function("flatten", [Parameter("start_dim", 1), Parameter("end_dim", -1)],
                 doc: "Flattens dimensions `start_dim` to `end_dim` into one (PyTorch `nn.Flatten`, from dim 1 by default).") { a in
            layer(Flatten(startDim: try a.int("start_dim"), endDim: try a.int("end_dim")))
        }
        registerActivations(layer)
        let recurrentParameters = [Parameter("input_size"), Parameter("hidden_size"), Parameter("layers", 1),
                                   Parameter("bidirectional", false), Parameter("batch_first", true), Parameter("dropout", 0.0),
                                   Parameter("bias", true)]
        let stateDoc = "`rnn(x, state: …, return_state: true)` passes initial states and returns the final ones; `rnn(x, lengths: [5, 3, …])` runs a padded batch of sequences of those lengths, as PyTorch's packed sequences (see `Module.call`)."
        function("lstm", recurrentParameters + [Parameter("proj_size", 0)],
                 doc: "A long short-term memory network (PyTorch `nn.LSTM`, keys `weight_ih_l0`, …) returning the top layer's full output sequence `(B, T, D·hidden_size)` (`D·proj_size` with `proj_size` > 0, which projects every hidden state through `weight_hr_l0`); `batch_first` defaults to true here. Follow it with `last_step()` or `attention_pool(…)`. " + stateDoc) { a in
            let (input, hidden, layers, bias, batchFirst, dropout, bidirectional) = try recurrentArguments(a)
            return layer(try LSTM(inputSize: input, hiddenSize: hidden, numLayers: layers, bias: bias, batchFirst: batchFirst,
                                  dropout: dropout, bidirectional: bidirectional, projSize: try a.int("proj_size")))
        }
        function("gru", recurrentParameters,
                 doc: "A gated recurrent unit network (PyTorch `nn.GRU`, keys `weight_ih_l0`, …, gates r, z, n) returning the top layer's full output sequence `(B, T, D·hidden_size)`; `batch_first` defaults to true here. " + stateDoc) { a in
            let (input, hidden, layers, bias, batchFirst, dropout, bidirectional) = try recurrentArguments(a)
            return layer(try GRU(inputSize: input, hiddenSize: hidden, numLayers: layers, bias: bias, batchFirst: batchFirst,
                                 dropout: dropout, bidirectional: bidirectional))
        }
        function("attention_pool", [Parameter("features")],
                 doc: "Attention pooling over time: a Linear(features, 1) scores every step of `(B, T, features)`, a softmax over time weights them, and the output is the weighted sum `(B, features)`.") { a in
            layer(try AttentionPooling(features: try a.int("features")))
        }
        function("multihead_attention", [Parameter("embed_dim"), Parameter("heads"), Parameter("dropout", 0.0),
                                         Parameter("batch_first", true), Parameter("kdim", nil), Parameter("vdim", nil)],
                 doc: "Multi-head attention (PyTorch `nn.MultiheadAttention`) over `(B, T, embed_dim)` (or `(T, B, E)` with `batch_first: false`): `m(x)` is self-attention; `m(x, key: memory, key_padding_mask: …, attn_mask: …, is_causal: true, need_weights: true)` is cross-attention with masks and weights (see `Module.call`). `kdim` / `vdim` give keys and values their own widths (separate `q_proj_weight`, `k_proj_weight`, `v_proj_weight`, as PyTorch).") { a in
            layer(try MultiheadAttention(embedDim: try a.int("embed_dim"), numHeads: try a.int("heads"), dropout: try a.float("dropout"),
                                         kdim: try a.optionalInt("kdim"), vdim: try a.optionalInt("vdim"), batchFirst: try a.bool("batch_first")))
        }
        function("padding_mask", [Parameter("lengths"), Parameter("length")],
                 doc: "A key padding mask for `key_padding_mask:`: one row of `length` bools per sequence, `true` (hidden) from position `lengths[b]` on — PyTorch's convention for sequences padded to `length`.") { a in
            let lengths = try a.ints("lengths")
            _ = try Limits.elements(lengths.count, times: try a.int("length"), "padding_mask")
            let mask: AttentionMask
            do { mask = try AttentionMask.keyPadding(lengths: lengths, keyLength: try a.int("length")) } catch let error as TensorError {
                throw BuiltinError("padding_mask: \(error.reason)")
            }
            let width = mask.shape[1]
            return .list(ListBox((0..<mask.shape[0]).map { b in
                .list(ListBox((0..<width).map { .bool(mask.bias[b * width + $0] == -.infinity) }))
            }))
        }
        function("transformer_encoder", [Parameter("d_model"), Parameter("heads"), Parameter("ff", 2048),
                                         Parameter("dropout", 0.1), Parameter("layers", 1), Parameter("batch_first", true),
                                         Parameter("norm_first", false)],
                 doc: "A stack of `layers` PyTorch `nn.TransformerEncoderLayer`s (self-attention with `heads` heads, ReLU feed-forward of width `ff`, dropout, post-norm unless `norm_first`), all starting from the same weights as PyTorch's copies; input `(B, T, d_model)` when `batch_first` (the default here). `enc(x, key_padding_mask: padding_mask(lengths, T))` hides padding (PyTorch's `src_key_padding_mask`), `attn_mask:` is its `mask`, `is_causal: true` lets each step attend only to the steps up to it.") { a in
            let (model, heads, ff, rate) = (try a.int("d_model"), try a.int("heads"), try a.int("ff"), try a.float("dropout"))
            let (batchFirst, normFirst) = (try a.bool("batch_first"), try a.bool("norm_first"))
            return layer(try TransformerEncoder(numLayers: try a.int("layers")) {
                try TransformerEncoderLayer(dModel: model, numHeads: heads, dimFeedforward: ff, dropout: rate,
                                            batchFirst: batchFirst, normFirst: normFirst)
            })
        }
        function("time_distributed", [Parameter("module")],
                 doc: "Applies `module` to every step of a batch-first `(B, T, …)` input (Keras' TimeDistributed): time is folded into the batch and unfolded after.") { a in
            layer(TimeDistributed(try a.module("module")))
        }
        function("seq", [.variadic("layers")],
                 doc: "Runs the layers in order, each one's output feeding the next (PyTorch `nn.Sequential`; state-dict keys `0.…`, `1.…`).") { a in
            layer(Sequential(try a.modules("layers")))
        }
        function("parallel", [.variadic("branches"), Parameter("dim", 1)],
                 doc: "Feeds the same input to every branch and concatenates their outputs along `dim` (the parallel models' CNN and transformer branches).") { a in
            layer(Parallel(try a.modules("branches"), dim: try a.int("dim")))
        }
        function("ensemble", [Parameter("members")],
                 doc: "Averages the class probabilities of `members` (a list of trained models fed the same input): the output is log(mean softmax), which `evaluate`, `predict` and cross-entropy read as logits.") { a in
            layer(Ensemble(try a.modules("members")))
        }
        function("residual", [Parameter("module")],
                 doc: "A skip connection `x + module(x)` (ResNet/TCN blocks); `module` must keep its input's shape.") { a in
            layer(Residual(try a.module("module")))
        }
        registerShapeLayers(layer)
    }

    /// Activations: called without an input they make a layer (`relu()`), with a tensor they apply it.
    private func registerActivations(_ layer: @escaping (Module) -> Value) {
        func activation(_ name: String, _ extra: [Parameter], doc: String, module: @escaping (Arguments) throws -> Module) {
            function(name, [Parameter("x", nil)] + extra, doc: doc) { a in
                let made = try module(a)
                guard !a.isNil("x") else { return layer(made) }
                return .object(TensorValue(try made(try a.tensor("x"))))
            }
        }
        activation("relu", [], doc: "max(0, x): a layer when called without an input (`relu()`), else applied to the tensor `x`.") { _ in ReLU() }
        activation("leaky_relu", [Parameter("negative_slope", 0.01)],
                   doc: "x for x ≥ 0, `negative_slope`·x otherwise: a layer without `x`, else applied to the tensor `x`.") { a in
            ActivationLayer(.leakyRelu, slope: try a.float("negative_slope"))
        }
        activation("gelu", [], doc: "x·Φ(x) (the exact erf form): a layer without `x`, else applied to the tensor `x`.") { _ in ActivationLayer(.gelu) }
        activation("sigmoid", [], doc: "1 / (1 + e^−x): a layer without `x`, else applied to the tensor `x`.") { _ in ActivationLayer(.sigmoid) }
        activation("softmax", [Parameter("dim", -1)],
                   doc: "exp(x) / Σ exp(x) along `dim`: a layer without `x` (`softmax(dim: 1)`), else applied to the tensor `x`.") { a in
            SoftmaxLayer(dim: try a.int("dim"))
        }
        function("tanh", [Parameter("x", nil)],
                 doc: "Hyperbolic tangent: of a number, elementwise of a tensor, or a Tanh layer when called without an input (`tanh()`).") { a in
            if let number = a["x"].asDouble { return .float(Foundation.tanh(number)) }
            guard !a.isNil("x") else { return layer(ActivationLayer(.tanh)) }
            return .object(TensorValue(try a.tensor("x").tanh()))
        }
    }

    /// Parameter-free shape layers, so reshaping steps can sit inside `seq`.
    private func registerShapeLayers(_ layer: @escaping (Module) -> Value) {
        function("squeeze", [Parameter("dim")], doc: "A layer removing dimension `dim` of size 1.") { a in layer(Squeeze(try a.int("dim"))) }
        function("unsqueeze", [Parameter("dim")], doc: "A layer inserting a dimension of size 1 at `dim`.") { a in layer(Unsqueeze(try a.int("dim"))) }
        function("permute", [Parameter("dims")],
                 doc: "A layer reordering dimensions: output dimension i is input dimension `dims[i]` (`permute([0, 2, 1])` swaps time and features).") { a in
            layer(Permute(try a.ints("dims")))
        }
        function("reshape", [Parameter("shape")], doc: "A layer reshaping its input to `shape` (one entry may be -1).") { a in
            layer(Reshape(try a.ints("shape")))
        }
        function("mean", [Parameter("dim")], doc: "A layer averaging over dimension `dim` (the transformer branch's mean over time).") { a in
            layer(MeanOverDim(try a.int("dim")))
        }
        function("last_step", [], doc: "A layer keeping the last time step of a `(B, T, F)` sequence → `(B, F)`: an LSTM's final output.") { _ in
            layer(LastStep())
        }
    }
}

/// `lstm` / `gru`'s arguments: input and hidden size, layers, bias, batch first, dropout, bidirectional.
private func recurrentArguments(_ a: Arguments) throws -> (Int, Int, Int, Bool, Bool, Float, Bool) {
    (try a.int("input_size"), try a.int("hidden_size"), try a.int("layers"), try a.bool("bias"), try a.bool("batch_first"), try a.float("dropout"), try a.bool("bidirectional"))
}
