/// A long short-term memory network with PyTorch's semantics and keys (`weight_ih_l0`, `weight_hh_l0`,
/// `bias_ih_l0`, `bias_hh_l0`, and `…_reverse` for the backward direction of a bidirectional layer),
/// gate order (i, f, g, o), every weight uniform in `±1/√hiddenSize`.
///
/// Input `(B, T, inputSize)` when `batchFirst` (the default here), else `(T, B, inputSize)`; output
/// the full top-layer sequence `(B, T, D·hiddenSize)` (D = 2 when bidirectional, directions
/// concatenated). Initial states are zero. Between stacked layers, `dropout` applies in training.
public final class LSTM: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let bidirectional: Bool
    public let batchFirst: Bool
    let interLayerDropout: Dropout
    private var cells: [[LSTMDirection]] = []

    /// The result of `forwardWithState`.
    public struct Output {
        /// The top layer's outputs at every step, `(B, T, D·H)` (or `(T, B, D·H)`).
        public var sequence: Tensor
        /// Final hidden state of every layer and direction, `(numLayers·D, B, H)`; differentiable.
        public var hidden: Tensor
        /// Final cell state of every layer and direction, `(numLayers·D, B, H)`; differentiable.
        public var cell: Tensor
    }

    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = true,
                dropout: Float = 0, bidirectional: Bool = false, generator: RandomGenerator = .global) throws {
        try requirePositive("LSTM", ["inputSize": inputSize, "hiddenSize": hiddenSize, "numLayers": numLayers])
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bidirectional = bidirectional
        self.batchFirst = batchFirst
        interLayerDropout = try Dropout(dropout)
        super.init()
        let bound = Initialization.fanInBound(hiddenSize)
        let directions = bidirectional ? 2 : 1
        for layer in 0..<numLayers {
            let layerInput = layer == 0 ? inputSize : directions * hiddenSize
            cells.append(try (0..<directions).map { direction in
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                let cell = LSTMDirection(
                    reverse: direction == 1,
                    weightIH: try Initialization.uniform([4 * hiddenSize, layerInput], bound: bound, generator: generator),
                    weightHH: try Initialization.uniform([4 * hiddenSize, hiddenSize], bound: bound, generator: generator),
                    biasIH: bias ? try Initialization.uniform([4 * hiddenSize], bound: bound, generator: generator) : nil,
                    biasHH: bias ? try Initialization.uniform([4 * hiddenSize], bound: bound, generator: generator) : nil)
                registerParameter("weight_ih" + suffix, cell.weightIH)
                registerParameter("weight_hh" + suffix, cell.weightHH)
                if let b = cell.biasIH { registerParameter("bias_ih" + suffix, b) }
                if let b = cell.biasHH { registerParameter("bias_hh" + suffix, b) }
                return cell
            })
        }
    }

    public override var typeDescription: String {
        "LSTM(\(inputSize) → \(hiddenSize)\(numLayers > 1 ? ", layers: \(numLayers)" : "")\(bidirectional ? ", bidirectional" : ""))"
    }

    /// The top layer's output sequence.
    public override func forward(_ input: Tensor) throws -> Tensor { try forwardWithState(input).sequence }

    /// The output sequence and the final hidden and cell states of every layer and direction.
    public func forwardWithState(_ input: Tensor) throws -> Output {
        let order = batchFirst ? "(B, T, \(inputSize))" : "(T, B, \(inputSize))"
        guard input.rank == 3, input.shape[2] == inputSize, input.shape[0] > 0, input.shape[1] > 0 else {
            throw LayerError(layer: self, reason: "expected input of shape \(order), got \(input.shape)")
        }
        var x = batchFirst ? input : try attributed { try input.permute([1, 0, 2]) }
        var finalHidden: [Tensor] = [], finalCells: [Tensor] = []
        interLayerDropout.train(isTraining)
        for (layer, directions) in cells.enumerated() {
            if layer > 0 { x = try interLayerDropout(x) }
            let runs = try directions.map { try $0.run(x, hiddenSize: hiddenSize) }
            finalHidden += try runs.map { try $0.finalHidden() }
            finalCells += runs.map(\.finalCell)
            x = runs.count == 1 ? runs[0].sequence : try attributed { try Tensor.concat(runs.map(\.sequence), dim: 2) }
        }
        let sequence = batchFirst ? x : try attributed { try x.permute([1, 0, 2]) }
        return Output(sequence: sequence, hidden: try attributed { try Tensor.stack(finalHidden, dim: 0) },
                      cell: try attributed { try Tensor.stack(finalCells, dim: 0) })
    }
}

/// The parameters of one layer-direction and its differentiable pass over a batch-first sequence.
struct LSTMDirection {
    let reverse: Bool
    let weightIH: Tensor
    let weightHH: Tensor
    let biasIH: Tensor?
    let biasHH: Tensor?

    /// What one pass produced.
    struct Run {
        let sequence: Tensor
        let finalCell: Tensor
        let lastStep: Int

        /// The hidden state after the last processed step: a slice of the sequence, so it carries gradient.
        func finalHidden() throws -> Tensor { try sequence.select(dim: 1, index: lastStep) }
    }

    func run(_ input: Tensor, hiddenSize: Int) throws -> Run {
        let g = LSTMGeometry(batch: input.shape[0], steps: input.shape[1], inputSize: input.shape[2], hiddenSize: hiddenSize)
        let output = try Tensor.uninitialized([g.batch, g.steps, hiddenSize])
        let gates = TensorStorage(uninitializedCount: g.batch * g.steps * g.gateWidth)
        let cells = TensorStorage(uninitializedCount: g.batch * g.steps * hiddenSize)
        let zeros = TensorStorage(count: g.batch * hiddenSize, repeating: 0)
        LSTMKernels.forward(g, reverse: reverse, input: input.storage.pointer, weightIH: weightIH.storage.pointer,
                            weightHH: weightHH.storage.pointer, biasIH: biasIH?.storage.pointer,
                            biasHH: biasHH?.storage.pointer, initialHidden: zeros.pointer, initialCell: zeros.pointer,
                            gates: gates.pointer, cells: cells.pointer, output: output.storage.pointer)
        let lastStep = reverse ? 0 : g.steps - 1
        let finalCell = try Tensor.uninitialized([g.batch, hiddenSize])
        for s in 0..<g.batch {
            (finalCell.storage.pointer + s * hiddenSize).update(from: cells.pointer + (s * g.steps + lastStep) * hiddenSize,
                                                                count: hiddenSize)
        }
        let (weightIH, weightHH, biasIH, biasHH, reverse) = (self.weightIH, self.weightHH, self.biasIH, self.biasHH, self.reverse)
        let detachedOutput = output.detach()
        // Gradients are linear in the cotangents, so the sequence and the final cell state are two
        // graph nodes whose backward passes each run the kernel with their own cotangent only.
        let gradients = { (gradOutput: UnsafePointer<Float>, gradFinalCell: UnsafePointer<Float>?) throws -> [Tensor?] in
            let gradInput = input.requiresGrad ? try Tensor.uninitialized(input.shape) : nil
            let gradWeightIH = try Tensor.uninitialized(weightIH.shape), gradWeightHH = try Tensor.uninitialized(weightHH.shape)
            let gradBias = try Tensor.uninitialized([g.gateWidth])
            LSTMKernels.backward(g, reverse: reverse, input: input.storage.pointer, weightIH: weightIH.storage.pointer,
                                 weightHH: weightHH.storage.pointer, initialHidden: zeros.pointer, initialCell: zeros.pointer,
                                 gates: gates.pointer, cells: cells.pointer, output: detachedOutput.storage.pointer,
                                 gradOutput: gradOutput, gradFinalHidden: nil, gradFinalCell: gradFinalCell,
                                 gradInput: gradInput?.storage.pointer, gradWeightIH: gradWeightIH.storage.pointer,
                                 gradWeightHH: gradWeightHH.storage.pointer, gradBias: gradBias.storage.pointer,
                                 gradInitialHidden: nil, gradInitialCell: nil)
            let biasGrads: [Tensor?] = [biasIH, biasHH].compactMap { $0 }.map { _ in gradBias.clone() }
            return [gradInput, gradWeightIH, gradWeightHH] + biasGrads
        }
        let parents = [input, weightIH, weightHH] + [biasIH, biasHH].compactMap { $0 }
        let sequence = Tensor.record(output, op: "lstm", parents: parents) { gradOutput in
            try gradients(gradOutput.storage.pointer, nil)
        }
        let cellState = Tensor.record(finalCell, op: "lstm_final_cell", parents: parents) { gradCell in
            let noOutputGradient = TensorStorage(count: g.batch * g.steps * hiddenSize, repeating: 0)
            return try gradients(noOutputGradient.pointer, gradCell.storage.pointer)
        }
        return Run(sequence: sequence, finalCell: cellState, lastStep: lastStep)
    }
}
