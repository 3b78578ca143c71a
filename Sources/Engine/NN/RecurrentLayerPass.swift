import EngineTensor

/// Which recurrent cell a network stacks: its gate count and whether it carries a cell state.
package enum RecurrentCell {
    case lstm, gru

    package var name: String { self == .lstm ? "LSTM" : "GRU" }
    /// Gate blocks of `hiddenSize` rows in `weight_ih` / `weight_hh`.
    var gates: Int { self == .lstm ? 4 : 3 }
    /// The states a step passes on: the hidden state, and an LSTM's cell state.
    var stateNames: [String] { self == .lstm ? ["hidden", "cell"] : ["hidden"] }
}

/// The parameters of one layer-direction.
struct RecurrentDirection {
    let reverse: Bool
    let weightIH: Tensor
    let weightHH: Tensor
    let biasIH: Tensor?
    let biasHH: Tensor?
    /// An LSTM's projection `W_hr` `(P, H)` (PyTorch's `proj_size`), or nil.
    let weightHR: Tensor?

    /// The tensors in the order the layer's op lists them as parents (PyTorch's registration order).
    package var parameters: [Tensor] { [weightIH, weightHH] + [biasIH, biasHH, weightHR].compactMap { $0 } }
}

/// One stacked layer — all its directions — as one differentiable op. The directions are independent,
/// so they run on separate cores (forward and backward), each with single-threaded BLAS.
struct RecurrentLayerPass {
    /// `(B, T, D·P)`: the directions' outputs side by side, as PyTorch concatenates them (P = H unless
    /// projected); zero at padded steps when the pass ran with `lengths`.
    let sequence: Tensor
    /// `sequence` before padded steps are zeroed: there they hold the states passed on (the same
    /// tensor without `lengths`).
    let states: Tensor
    /// `(D, B, H)`: an LSTM's cell state of each direction after its last processed step; nil for a GRU.
    let cellStates: Tensor?
    let directions: [RecurrentDirection]
    let outputSize: Int

    /// Each direction's final hidden state `(B, P)`: a slice of the states at the direction's last
    /// processed step (T − 1 forward, 0 reverse; padded steps carry the states there), so it carries gradient.
    func finalHidden() throws -> [Tensor] {
        let steps = states.shape[1]
        return try directions.enumerated().map { d, direction in
            try states.select(dim: 1, index: direction.reverse ? 0 : steps - 1)
                .slice(dim: 1, start: d * outputSize, end: (d + 1) * outputSize)
        }
    }

    /// Each direction's final cell state `(B, H)` (none for a GRU).
    func finalCells() throws -> [Tensor] {
        guard let cellStates else { return [] }
        return try (0..<directions.count).map { try cellStates.select(dim: 0, index: $0) }
    }

    /// Runs the layer on `input` `(B, T, inputSize)` from the initial states — hidden `(D, B, P)`, an
    /// LSTM's cell `(D, B, H)`; zeros when nil. Gradients flow into the given initial states. With
    /// `lengths` (checked by the caller: one per batch row, each in `1...T`), each row runs only its
    /// first `lengths[b]` steps (see `LSTMKernels`).
    package static func run(_ cell: RecurrentCell, _ directions: [RecurrentDirection], input: Tensor, hiddenSize h: Int,
                    outputSize p: Int, initialHidden: Tensor?, initialCell: Tensor?,
                    lengths: [Int]? = nil) throws -> RecurrentLayerPass {
        let g = RecurrentGeometry(batch: input.shape[0], steps: input.shape[1], inputSize: input.shape[2], hiddenSize: h,
                                  gates: cell.gates, outputSize: p)
        let count = directions.count
        let rows = g.batch * g.steps, hiddenCount = g.batch * p, cellCount = g.batch * h
        let gates = TensorStorage(uninitializedCount: count * rows * g.gateWidth)
        let saved = TensorStorage(uninitializedCount: count * rows * h)   // LSTM cells, GRU hidden terms
        let outputs = TensorStorage(uninitializedCount: count * rows * p)
        let projected = directions.contains { $0.weightHR != nil }
        let cellOutputs = TensorStorage(uninitializedCount: projected ? count * rows * h : 0)   // σ(o)·tanh(c) before W_hr
        let zeros = TensorStorage(count: g.batch * max(h, p), repeating: 0)
        func state(_ tensor: Tensor?, _ d: Int, _ stride: Int) -> UnsafePointer<Float> {
            UnsafePointer(tensor.map { $0.storage.pointer + d * stride } ?? zeros.pointer)
        }
        func projection(_ d: Int) -> (weight: UnsafePointer<Float>, cellOutputs: UnsafeMutablePointer<Float>)? {
            directions[d].weightHR.map { (UnsafePointer($0.storage.pointer), cellOutputs.pointer + d * rows * h) }
        }
        KernelParallel.forEachSlice(count) { _, slice in
            for d in slice {
                let w = directions[d]
                let (gate, kept, output) = (gates.pointer + d * rows * g.gateWidth, saved.pointer + d * rows * h, outputs.pointer + d * rows * p)
                switch cell {
                case .lstm:
                    LSTMKernels.forward(g, reverse: w.reverse, input: input.storage.pointer, weightIH: w.weightIH.storage.pointer,
                                        weightHH: w.weightHH.storage.pointer, biasIH: w.biasIH?.storage.pointer,
                                        biasHH: w.biasHH?.storage.pointer, initialHidden: state(initialHidden, d, hiddenCount),
                                        initialCell: state(initialCell, d, cellCount), gates: gate, cells: kept, output: output,
                                        projection: projection(d), lengths: lengths)
                case .gru:
                    GRUKernels.forward(g, reverse: w.reverse, input: input.storage.pointer, weightIH: w.weightIH.storage.pointer,
                                       weightHH: w.weightHH.storage.pointer, biasIH: w.biasIH?.storage.pointer,
                                       biasHH: w.biasHH?.storage.pointer, initialHidden: state(initialHidden, d, hiddenCount),
                                       gates: gate, hiddenTerms: kept, output: output, lengths: lengths)
                }
            }
        }
        let sequence = try Tensor.uninitialized([g.batch, g.steps, count * p])
        for d in 0..<count {
            for r in 0..<rows {
                (sequence.storage.pointer + (r * count + d) * p).update(from: outputs.pointer + (d * rows + r) * p, count: p)
            }
        }
        var finalCell: Tensor?
        if cell == .lstm {
            let cells = try Tensor.uninitialized([count, g.batch, h])
            for d in 0..<count {
                let last = directions[d].reverse ? 0 : g.steps - 1
                for s in 0..<g.batch {
                    (cells.storage.pointer + (d * g.batch + s) * h)
                        .update(from: saved.pointer + (d * rows + s * g.steps + last) * h, count: h)
                }
            }
            finalCell = cells
        }
        let initialStates = [initialHidden, initialCell].compactMap { $0 }
        // Gradients are linear in the cotangents, so the sequence and the final cell states are two
        // graph nodes whose backward passes each run the kernels with their own cotangent only.
        // `gradSequence` is (B, T, D·P) or nil; `gradCells` is (D, B, H) or nil.
        let gradients = { (gradSequence: Tensor?, gradCells: Tensor?) throws -> [Tensor?] in
            let perDirection = TensorStorage(count: count * rows * p, repeating: 0)
            if let gradSequence {
                for d in 0..<count {
                    for r in 0..<rows {
                        (perDirection.pointer + (d * rows + r) * p)
                            .update(from: gradSequence.storage.pointer + (r * count + d) * p, count: p)
                    }
                }
            }
            let inputGrads = input.requiresGrad ? TensorStorage(uninitializedCount: count * input.count) : nil
            let hiddenGrad = try initialHidden.map { try Tensor.uninitialized($0.shape) }
            let cellGrad = try initialCell.map { try Tensor.uninitialized($0.shape) }
            func stateGrad(_ grad: Tensor?, _ d: Int, _ stride: Int) -> UnsafeMutablePointer<Float>? {
                grad.map { $0.storage.pointer + d * stride }
            }
            let parameterGrads = try directions.map { try $0.parameters.map { try Tensor.uninitialized($0.shape) } }
            KernelParallel.forEachSlice(count) { _, slice in
                for d in slice {
                    let w = directions[d], grads = parameterGrads[d]
                    let (gate, kept, output) = (gates.pointer + d * rows * g.gateWidth, saved.pointer + d * rows * h,
                                                outputs.pointer + d * rows * p)
                    let gradInput = inputGrads.map { $0.pointer + d * input.count }
                    // Parameter order: W_ih, W_hh, then b_ih and b_hh when present, then W_hr when present.
                    let biases = w.biasIH == nil ? 0 : 2
                    let gradBiasIH = biases > 0 ? grads[2].storage.pointer : nil
                    let gradBiasHH = biases > 0 ? grads[3].storage.pointer : nil
                    switch cell {
                    case .lstm:
                        let projected = projection(d).flatMap { projection in
                            grads.last.map { (projection.weight, UnsafePointer(projection.cellOutputs), $0.storage.pointer) }
                        }
                        LSTMKernels.backward(g, reverse: w.reverse, input: input.storage.pointer, weightIH: w.weightIH.storage.pointer,
                                             weightHH: w.weightHH.storage.pointer, initialHidden: state(initialHidden, d, hiddenCount),
                                             initialCell: state(initialCell, d, cellCount), gates: gate, cells: kept, output: output,
                                             gradOutput: perDirection.pointer + d * rows * p, gradFinalHidden: nil,
                                             gradFinalCell: gradCells.map { UnsafePointer($0.storage.pointer + d * cellCount) },
                                             gradInput: gradInput, gradWeightIH: grads[0].storage.pointer,
                                             gradWeightHH: grads[1].storage.pointer, gradBias: gradBiasIH,
                                             gradInitialHidden: stateGrad(hiddenGrad, d, hiddenCount),
                                             gradInitialCell: stateGrad(cellGrad, d, cellCount), projection: projected,
                                             lengths: lengths)
                        // b_ih and b_hh enter an LSTM's gates identically.
                        if let gradBiasIH, let gradBiasHH { gradBiasHH.update(from: gradBiasIH, count: g.gateWidth) }
                    case .gru:
                        GRUKernels.backward(g, reverse: w.reverse, input: input.storage.pointer, weightIH: w.weightIH.storage.pointer,
                                            weightHH: w.weightHH.storage.pointer, initialHidden: state(initialHidden, d, hiddenCount),
                                            gates: gate, hiddenTerms: kept, output: output,
                                            gradOutput: perDirection.pointer + d * rows * p, gradFinalHidden: nil,
                                            gradInput: gradInput, gradWeightIH: grads[0].storage.pointer,
                                            gradWeightHH: grads[1].storage.pointer, gradBiasIH: gradBiasIH, gradBiasHH: gradBiasHH,
                                            gradInitialHidden: stateGrad(hiddenGrad, d, hiddenCount), lengths: lengths)
                    }
                }
            }
            var gradInput: Tensor?
            if let inputGrads {
                let total = try Tensor.uninitialized(input.shape)
                total.storage.pointer.update(from: inputGrads.pointer, count: input.count)
                for d in 1..<max(1, count) {
                    BLAS.saxpy(count: input.count, alpha: 1, x: inputGrads.pointer + d * input.count, y: total.storage.pointer)
                }
                gradInput = total
            }
            let stateGrads: [Tensor] = [hiddenGrad, cellGrad].compactMap { $0 }
            return [gradInput] + stateGrads + parameterGrads.flatMap { $0 }
        }
        let parents = [input] + initialStates + directions.flatMap(\.parameters)
        let sequenceNode = Tensor.record(sequence, op: cell == .lstm ? "lstm" : "gru", parents: parents) { gradOutput in
            try gradients(gradOutput, nil)
        }
        let cellNode = finalCell.map { finalCell in
            Tensor.record(finalCell, op: "lstm_final_cell", parents: parents) { gradCell in try gradients(nil, gradCell) }
        }
        let output = try lengths.map { try sequenceNode * paddingMask($0, steps: g.steps) } ?? sequenceNode
        return RecurrentLayerPass(sequence: output, states: sequenceNode, cellStates: cellNode, directions: directions, outputSize: p)
    }

    /// `(B, T, 1)`: 1 at the steps within each sequence's length, 0 past it — the output's padding
    /// becomes 0 constants, so no gradient flows from there.
    private static func paddingMask(_ lengths: [Int], steps: Int) throws -> Tensor {
        try Tensor(shape: [lengths.count, steps, 1], values: lengths.flatMap { length in (0..<steps).map { $0 < length ? 1 : 0 } })
    }
}
