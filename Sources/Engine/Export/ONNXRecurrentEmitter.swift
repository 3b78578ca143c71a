import EngineNN

/// LSTM and GRU stacks as ONNX's LSTM / GRU ops, one op per layer (both directions in one op).
///
/// ONNX orders the gates differently from PyTorch: LSTM weights are `i, o, f, c` where PyTorch's
/// are `i, f, g, o`; GRU's are `z, r, h` where PyTorch's are `r, z, n` (and PyTorch's GRU applies
/// the reset gate after the hidden projection: `linear_before_reset = 1`). Biases are packed as
/// `[input biases, hidden biases]` per direction.
extension ONNXEmitter {
    func recurrent(_ layer: RecurrentNetwork, _ x: ONNXValue) throws -> ONNXValue {
        guard layer.projSize == 0 else { throw ONNXExportError(layer: layer, "an LSTM with proj_size has no ONNX export") }
        guard x.rank == 3 else { throw ONNXExportError(layer: layer, "expects a batched (B, T, F) sequence, got \(x.shape)") }
        let isGRU = layer is GRU
        // PyTorch's gate blocks in ONNX's order.
        let gateOrder = isGRU ? [1, 0, 2] : [0, 3, 1, 2]
        let hidden = layer.hiddenSize, directions = layer.bidirectional ? 2 : 1
        let parameters = Dictionary(layer.namedParameters().map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
        let steps = layer.batchFirst ? x.shape[1] : x.shape[0]
        // ONNX runs time-major: (T, B, F).
        var sequence = layer.batchFirst ? graph.node("Transpose", [x.name], attributes: [ONNXAttribute.ints("perm", [1, 0, 2])]) : x.name
        for index in 0..<layer.numLayers {
            var weights: [Float] = [], recurrences: [Float] = [], biases: [Float] = []
            var inputWidth = 0
            for direction in 0..<directions {
                let suffix = "_l\(index)" + (direction == 1 ? "_reverse" : "")
                guard let inputWeight = parameters["weight_ih" + suffix], let hiddenWeight = parameters["weight_hh" + suffix] else {
                    throw ONNXExportError(layer: layer, "has no weights for layer \(index)\(direction == 1 ? " (reverse)" : "")")
                }
                inputWidth = inputWeight.shape[1]
                weights += reorderedGates(inputWeight.values, order: gateOrder, blockSize: hidden * inputWidth)
                recurrences += reorderedGates(hiddenWeight.values, order: gateOrder, blockSize: hidden * hidden)
                for name in ["bias_ih", "bias_hh"] {
                    let values = parameters[name + suffix]?.values ?? [Float](repeating: 0, count: gateOrder.count * hidden)
                    biases += reorderedGates(values, order: gateOrder, blockSize: hidden)
                }
            }
            let rows = gateOrder.count * hidden
            var attributes = [ONNXAttribute.int("hidden_size", hidden),
                              ONNXAttribute.string("direction", directions == 2 ? "bidirectional" : "forward")]
            if isGRU { attributes.append(ONNXAttribute.int("linear_before_reset", 1)) }
            let output = graph.nodeOutputs(isGRU ? "GRU" : "LSTM", [
                sequence, graph.constant(weights, shape: [directions, rows, inputWidth]),
                graph.constant(recurrences, shape: [directions, rows, hidden]),
                graph.constant(biases, shape: [directions, 2 * rows])], attributes: attributes, outputs: 1)[0]
            // Y is (T, directions, B, H); PyTorch's output is (T, B, directions·H), directions side by side.
            let stepsFirst = graph.node("Transpose", [output], attributes: [ONNXAttribute.ints("perm", [0, 2, 1, 3])])
            sequence = graph.node("Reshape", [stepsFirst, graph.int64s([steps, -1, directions * hidden])])
        }
        if layer.batchFirst { sequence = graph.node("Transpose", [sequence], attributes: [ONNXAttribute.ints("perm", [1, 0, 2])]) }
        return value(sequence, try layer(x.example), batchAxis: x.batchAxis)
    }

    /// `values` made of gate blocks of `blockSize` numbers, rearranged so block `i` is old block `order[i]`.
    private func reorderedGates(_ values: [Float], order: [Int], blockSize: Int) -> [Float] {
        order.flatMap { values[$0 * blockSize..<($0 + 1) * blockSize] }
    }
}
