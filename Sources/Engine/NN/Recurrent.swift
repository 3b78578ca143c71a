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
    private var cells: [[LSTMDirection]] = []   // per layer, per direction

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
            let run = try LSTMLayerPass.run(directions, input: x, hiddenSize: hiddenSize)
            finalHidden += try attributed { try run.finalHidden() }
            finalCells += try attributed { try run.finalCells() }
            x = run.sequence
        }
        let sequence = batchFirst ? x : try attributed { try x.permute([1, 0, 2]) }
        return Output(sequence: sequence, hidden: try attributed { try Tensor.stack(finalHidden, dim: 0) },
                      cell: try attributed { try Tensor.stack(finalCells, dim: 0) })
    }
}

/// The parameters of one layer-direction.
struct LSTMDirection {
    let reverse: Bool
    let weightIH: Tensor
    let weightHH: Tensor
    let biasIH: Tensor?
    let biasHH: Tensor?

    /// The tensors in the order the layer's op lists them as parents.
    var parameters: [Tensor] { [weightIH, weightHH] + [biasIH, biasHH].compactMap { $0 } }
}

/// One stacked layer — all its directions — as one differentiable op. The directions are independent,
/// so they run on separate cores (forward and backward), each with single-threaded BLAS.
struct LSTMLayerPass {
    /// `(B, T, D·H)`: the directions' outputs side by side, as PyTorch concatenates them.
    let sequence: Tensor
    /// `(D, B, H)`: each direction's cell state after its last processed step.
    let cellStates: Tensor
    let directions: [LSTMDirection]
    let hiddenSize: Int

    /// Each direction's final hidden state `(B, H)`: a slice of the output sequence at the direction's
    /// last processed step (T − 1 forward, 0 reverse), so it carries gradient.
    func finalHidden() throws -> [Tensor] {
        let steps = sequence.shape[1]
        return try directions.enumerated().map { d, direction in
            try sequence.select(dim: 1, index: direction.reverse ? 0 : steps - 1)
                .slice(dim: 1, start: d * hiddenSize, end: (d + 1) * hiddenSize)
        }
    }

    /// Each direction's final cell state `(B, H)`.
    func finalCells() throws -> [Tensor] {
        try (0..<directions.count).map { try cellStates.select(dim: 0, index: $0) }
    }

    static func run(_ directions: [LSTMDirection], input: Tensor, hiddenSize h: Int) throws -> LSTMLayerPass {
        let g = LSTMGeometry(batch: input.shape[0], steps: input.shape[1], inputSize: input.shape[2], hiddenSize: h)
        let count = directions.count
        let rows = g.batch * g.steps
        let gates = TensorStorage(uninitializedCount: count * rows * g.gateWidth)
        let cells = TensorStorage(uninitializedCount: count * rows * h)
        let outputs = TensorStorage(uninitializedCount: count * rows * h)
        let zeros = TensorStorage(count: g.batch * h, repeating: 0)
        KernelParallel.forEachSlice(count) { _, slice in
            for d in slice {
                let p = directions[d]
                LSTMKernels.forward(g, reverse: p.reverse, input: input.storage.pointer, weightIH: p.weightIH.storage.pointer,
                                    weightHH: p.weightHH.storage.pointer, biasIH: p.biasIH?.storage.pointer,
                                    biasHH: p.biasHH?.storage.pointer, initialHidden: zeros.pointer, initialCell: zeros.pointer,
                                    gates: gates.pointer + d * rows * g.gateWidth, cells: cells.pointer + d * rows * h,
                                    output: outputs.pointer + d * rows * h)
            }
        }
        let sequence = try Tensor.uninitialized([g.batch, g.steps, count * h])
        let finalCell = try Tensor.uninitialized([count, g.batch, h])
        for d in 0..<count {
            for r in 0..<rows {
                (sequence.storage.pointer + (r * count + d) * h).update(from: outputs.pointer + (d * rows + r) * h, count: h)
            }
            let last = directions[d].reverse ? 0 : g.steps - 1
            for s in 0..<g.batch {
                (finalCell.storage.pointer + (d * g.batch + s) * h)
                    .update(from: cells.pointer + (d * rows + s * g.steps + last) * h, count: h)
            }
        }
        // Gradients are linear in the cotangents, so the sequence and the final cell states are two
        // graph nodes whose backward passes each run the kernels with their own cotangent only.
        // `gradSequence` is (B, T, D·H) or nil; `gradCells` is (D, B, H) or nil.
        let gradients = { (gradSequence: Tensor?, gradCells: Tensor?) throws -> [Tensor?] in
            let perDirection = TensorStorage(count: count * rows * h, repeating: 0)
            if let gradSequence {
                for d in 0..<count {
                    for r in 0..<rows {
                        (perDirection.pointer + (d * rows + r) * h)
                            .update(from: gradSequence.storage.pointer + (r * count + d) * h, count: h)
                    }
                }
            }
            let inputGrads = input.requiresGrad ? TensorStorage(uninitializedCount: count * input.count) : nil
            let parameterGrads = try directions.map { try $0.parameters.map { try Tensor.uninitialized($0.shape) } }
            KernelParallel.forEachSlice(count) { _, slice in
                for d in slice {
                    let p = directions[d], grads = parameterGrads[d]
                    LSTMKernels.backward(g, reverse: p.reverse, input: input.storage.pointer, weightIH: p.weightIH.storage.pointer,
                                         weightHH: p.weightHH.storage.pointer, initialHidden: zeros.pointer,
                                         initialCell: zeros.pointer, gates: gates.pointer + d * rows * g.gateWidth,
                                         cells: cells.pointer + d * rows * h, output: outputs.pointer + d * rows * h,
                                         gradOutput: perDirection.pointer + d * rows * h, gradFinalHidden: nil,
                                         gradFinalCell: gradCells.map { UnsafePointer($0.storage.pointer + d * g.batch * h) },
                                         gradInput: inputGrads.map { $0.pointer + d * input.count },
                                         gradWeightIH: grads[0].storage.pointer, gradWeightHH: grads[1].storage.pointer,
                                         gradBias: grads.count > 2 ? grads[2].storage.pointer : nil,
                                         gradInitialHidden: nil, gradInitialCell: nil)
                    if grads.count > 3 { grads[3].storage.pointer.update(from: grads[2].storage.pointer, count: g.gateWidth) }
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
            return [gradInput] + parameterGrads.flatMap { $0 }
        }
        let parents = [input] + directions.flatMap(\.parameters)
        let sequenceNode = Tensor.record(sequence, op: "lstm", parents: parents) { gradOutput in
            try gradients(gradOutput, nil)
        }
        let cellNode = Tensor.record(finalCell, op: "lstm_final_cell", parents: parents) { gradCell in
            try gradients(nil, gradCell)
        }
        return LSTMLayerPass(sequence: sequenceNode, cellStates: cellNode, directions: directions, hiddenSize: h)
    }
}
