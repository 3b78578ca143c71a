import Engine

extension BuiltinRegistry {
    /// The four notebook models and what every layer or model value can do: forward (`model(x)`),
    /// train/eval mode, parameter counts, its state dict and a summary with output shapes.
    func registerModels() {
        domain = "Models"
        func notebook(_ name: String, _ count: String, _ what: String, _ make: @escaping (Int) throws -> NotebookModel) {
            function(name, [Parameter("classes", 8)],
                     doc: "The notebooks' \(what) (\(count) trainable parameters with 8 classes), state-dict keys as in PyTorch so the notebooks' checkpoints load 1:1; returns logits.") { a in
                let model = try make(try a.int("classes"))
                return .object(ModuleValue(model, exampleShape: [1] + type(of: model).inputShape))
            }
        }
        notebook("parallel_cnn_transformer", "395,176",
                 "Parallel CNN-Transformer: a 4-block conv branch and a 4-layer transformer branch over the maxpooled log-mel (input `(B, 1, 128, 563)`)") {
            try ParallelCNNTransformer(numEmotions: $0)
        }
        notebook("parallel_cnn_attention_lstm", "263,593",
                 "Parallel CNN-BiLSTM-attention: the same conv branch beside a BiLSTM with attention pooling (input `(B, 1, 128, 563)`)") {
            try ParallelCNNAttentionLSTM(numEmotions: $0)
        }
        notebook("stacked_cnn_lstm", "147,816",
                 "stacked CNN-LSTM: a time-distributed 4-block CNN over 7 log-mel chunks, an LSTM and its last step (input `(B, 7, 1, 128, 128)`)") {
            try StackedCNNLSTM(numEmotions: $0)
        }
        notebook("stacked_cnn_attention_lstm", "582,761",
                 "stacked CNN-BiLSTM-attention: a time-distributed 3-block CNN over 7 chunks, a BiLSTM and attention pooling (input `(B, 7, 1, 128, 128)`)") {
            try StackedCNNAttentionLSTM(numEmotions: $0)
        }

        method("Module", "call", ModuleCall.parameters, doc: ModuleCall.doc) { a in
            let value = try a.receiver(as: ModuleValue.self)
            let input = try a.tensor("x")
            let output = try ModuleCall.run(value.module, input, a)
            // Remember one example's shape so printing the model can show output shapes.
            if value.exampleShape == nil, input.rank >= 1 { value.exampleShape = [1] + input.shape.dropFirst() }
            return output
        }
        method("Module", "train", [Parameter("mode", true)],
               doc: "Switches the model to training behaviour (dropout on, batch norm on batch statistics); `train(false)` is `eval()`. Returns the model.") { a in
            try a.receiver(as: ModuleValue.self).module.train(try a.bool("mode"))
            return a.receiver
        }
        method("Module", "eval", [], doc: "Switches the model to evaluation behaviour (dropout off, batch norm on running statistics). Returns the model.") { a in
            try a.receiver(as: ModuleValue.self).module.eval()
            return a.receiver
        }
        property("Module", "training", doc: "True in training mode, false after `eval()`.") { a in
            .bool(try a.receiver(as: ModuleValue.self).module.isTraining)
        }
        property("Module", "parameters_count", doc: "Number of trainable scalars, as the notebooks print it.") { a in
            .int(try a.receiver(as: ModuleValue.self).module.trainableParameterCount)
        }
        method("Module", "parameters", [], doc: "The trainable parameter tensors in state-dict order (shared with the model: gradients appear on them after `backward()`).") { a in
            .list(ListBox(try a.receiver(as: ModuleValue.self).module.parameters().map { .object(TensorValue($0)) }))
        }
        method("Module", "state_dict", [], doc: "Every parameter and buffer by its PyTorch state-dict key (`conv2Dblock.0.weight`, …), as a dict of tensor copies.") { a in
            let module = try a.receiver(as: ModuleValue.self).module
            return .dict(DictBox((module.namedParameters() + module.namedBuffers()).map { ($0.name, .object(TensorValue($0.tensor.clone()))) }))
        }
        method("Module", "summary", [Parameter("input_shape", nil)],
               doc: "The layer table — path, type, output shape for an input of `input_shape` (batch included; the notebook models know theirs), parameters — ending with the trainable count.") { a in
            let value = try a.receiver(as: ModuleValue.self)
            return .string(try value.module.summary(inputShape: a.isNil("input_shape") ? value.exampleShape : try a.ints("input_shape")))
        }
        method("Module", "zero_grad", [], doc: "Drops the gradients accumulated on every parameter.") { a in
            try a.receiver(as: ModuleValue.self).module.zeroGrad()
            return .null
        }
    }
}
