import EngineTensor

/// A stack of recurrent layers with PyTorch's semantics and keys (`weight_ih_l0`, `weight_hh_l0`,
/// `bias_ih_l0`, `bias_hh_l0`, and `…_reverse` for the backward direction of a bidirectional layer),
/// every weight uniform in `±1/√hiddenSize`: the shared body of `LSTM` and `GRU`.
///
/// Input `(B, T, inputSize)` when `batchFirst` (the default here), else `(T, B, inputSize)`; output
/// the full top-layer sequence `(B, T, D·hiddenSize)` (D = 2 when bidirectional, directions
/// concatenated). An unbatched `(T, inputSize)` input (either way) gives `(T, D·hiddenSize)`, with
/// states `(numLayers·D, hiddenSize)`, as in PyTorch. Initial and final states are `(numLayers·D, B, hiddenSize)` whatever `batchFirst`,
/// as in PyTorch; without initial states they are zero. An LSTM's `projSize` P > 0 (PyTorch's
/// `proj_size`) maps every hidden state through `weight_hr_l0` `(P, hiddenSize)`: outputs are
/// `(B, T, D·P)`, hidden states `(numLayers·D, B, P)`, cell states keep `hiddenSize`. Between stacked
/// layers, `dropout` applies in training.
/// Build an `LSTM` or a `GRU`; the subclasses only name their cell (and type their outputs).
public class RecurrentNetwork: Module {
    public let inputSize: Int
    public let hiddenSize: Int
    public let numLayers: Int
    public let bidirectional: Bool
    public let batchFirst: Bool
    /// An LSTM's projection size (PyTorch's `proj_size`); 0 without a projection.
    public let projSize: Int
    package let cell: RecurrentCell
    package let interLayerDropout: Dropout
    private var layers: [[RecurrentDirection]] = []   // per layer, per direction

    /// The cell every layer runs (an LSTM's by default; `GRU` overrides it).
    class var cellType: RecurrentCell { .lstm }

    public init(inputSize: Int, hiddenSize: Int, numLayers: Int = 1, bias: Bool = true, batchFirst: Bool = true,
                dropout: Float = 0, bidirectional: Bool = false, projSize: Int = 0, generator: RandomGenerator = .global) throws {
        let cell = Self.cellType
        try requirePositive(cell.name, ["inputSize": inputSize, "hiddenSize": hiddenSize, "numLayers": numLayers])
        guard projSize == 0 || (cell == .lstm && projSize > 0 && projSize < hiddenSize) else {
            throw LayerConfigurationError(layer: cell.name, reason: cell == .lstm
                ? "projSize must lie in 0..<hiddenSize (\(hiddenSize)), got \(projSize)"
                : "projSize is only supported for LSTM, as in PyTorch")
        }
        self.projSize = projSize
        self.cell = cell
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.numLayers = numLayers
        self.bidirectional = bidirectional
        self.batchFirst = batchFirst
        interLayerDropout = try Dropout(dropout)
        super.init()
        let bound = Initialization.fanInBound(hiddenSize)
        let directions = bidirectional ? 2 : 1, rows = cell.gates * hiddenSize, outputSize = self.outputSize
        for layer in 0..<numLayers {
            let layerInput = layer == 0 ? inputSize : directions * outputSize
            layers.append(try (0..<directions).map { direction in
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                let parameters = RecurrentDirection(
                    reverse: direction == 1,
                    weightIH: try Initialization.uniform([rows, layerInput], bound: bound, generator: generator),
                    weightHH: try Initialization.uniform([rows, outputSize], bound: bound, generator: generator),
                    biasIH: bias ? try Initialization.uniform([rows], bound: bound, generator: generator) : nil,
                    biasHH: bias ? try Initialization.uniform([rows], bound: bound, generator: generator) : nil,
                    weightHR: projSize > 0 ? try Initialization.uniform([projSize, hiddenSize], bound: bound, generator: generator) : nil)
                registerParameter("weight_ih" + suffix, parameters.weightIH)
                registerParameter("weight_hh" + suffix, parameters.weightHH)
                if let b = parameters.biasIH { registerParameter("bias_ih" + suffix, b) }
                if let b = parameters.biasHH { registerParameter("bias_hh" + suffix, b) }
                if let w = parameters.weightHR { registerParameter("weight_hr" + suffix, w) }
                return parameters
            })
        }
    }

    public override var typeDescription: String {
        "\(cell.name)(\(inputSize) → \(hiddenSize)\(projSize > 0 ? ", proj: \(projSize)" : "")"
            + "\(numLayers > 1 ? ", layers: \(numLayers)" : "")\(bidirectional ? ", bidirectional" : ""))"
    }

    /// The top layer's output sequence, from zero initial states.
    public override func forward(_ input: Tensor) throws -> Tensor { try forwardWithStates(input, initial: nil).sequence }

    /// The top layer's output sequence of a padded batch whose sequence `b` has `lengths[b]` steps
    /// (see `forwardWithStates`), from zero initial states.
    public func forward(_ input: Tensor, lengths: [Int]?) throws -> Tensor {
        try forwardWithStates(input, initial: nil, lengths: lengths).sequence
    }

    /// The output sequence and the final states — `[hidden]` for a GRU, `[hidden, cell]` for an LSTM,
    /// shaped as `stateShapes` — from the `initial` states in that order and shape (zeros
    /// when nil). Everything is differentiable, including the initial states.
    ///
    /// `lengths` (one per sequence of the batch, each in `1...T`, any order) runs a padded batch as
    /// PyTorch runs a `pack_padded_sequence(…, enforce_sorted=False)`: sequence `b` runs only its first
    /// `lengths[b]` steps (a reverse direction starts at step `lengths[b] − 1`), its outputs past
    /// that are 0 and take no gradient, and its final states are those after its last valid step.
    ///
    /// An unbatched `(T, inputSize)` input takes and gives states without the batch dimension.
    public func forwardWithStates(_ input: Tensor, initial: [Tensor]?,
                                  lengths: [Int]? = nil) throws -> (sequence: Tensor, states: [Tensor]) {
        if input.rank == 2 { return try forwardUnbatched(input, initial: initial, lengths: lengths) }
        let order = batchFirst ? "(B, T, \(inputSize)) or unbatched (T, \(inputSize))" : "(T, B, \(inputSize)) or unbatched (T, \(inputSize))"
        guard input.rank == 3, input.shape[2] == inputSize, input.shape[0] > 0, input.shape[1] > 0 else {
            throw LayerError(layer: self, reason: "expected input of shape \(order), got \(input.shape)")
        }
        let batch = input.shape[batchFirst ? 0 : 1]
        if let initial { try checkStates(initial, batch: batch, input: input) }
        if let lengths { try checkLengths(lengths, batch: batch, input: input) }
        var x = batchFirst ? input : try attributed { try input.permute([1, 0, 2]) }
        let directions = bidirectional ? 2 : 1
        var finalHidden: [Tensor] = [], finalCells: [Tensor] = []
        interLayerDropout.train(isTraining)
        for (layer, parameters) in layers.enumerated() {
            if layer > 0 { x = try interLayerDropout(x) }
            let start = try attributed {
                try initial?.map { try $0.slice(dim: 0, start: layer * directions, end: (layer + 1) * directions) }
            }
            let run = try RecurrentLayerPass.run(cell, parameters, input: x, hiddenSize: hiddenSize, outputSize: outputSize,
                                                 initialHidden: start?.first, initialCell: start?.dropFirst().first,
                                                 lengths: lengths)
            finalHidden += try attributed { try run.finalHidden() }
            finalCells += try attributed { try run.finalCells() }
            x = run.sequence
        }
        let sequence = batchFirst ? x : try attributed { try x.permute([1, 0, 2]) }
        let states = try attributed { try [finalHidden, finalCells].filter { !$0.isEmpty }.map { try Tensor.stack($0, dim: 0) } }
        return (sequence, states)
    }

    /// A `(T, inputSize)` sequence run as a batch of one: states `(numLayers·D, H)` gain and lose the batch dimension.
    private func forwardUnbatched(_ input: Tensor, initial: [Tensor]?, lengths: [Int]?) throws -> (sequence: Tensor, states: [Tensor]) {
        guard input.shape[1] == inputSize, input.shape[0] > 0 else {
            throw LayerError(layer: self, reason: "expected unbatched input of shape (T, \(inputSize)), got \(input.shape)")
        }
        if let initial, let state = initial.first(where: { $0.rank != 2 }) {
            throw LayerError(layer: self, reason: "for unbatched input \(input.shape) the initial states must be 2-D "
                             + "(layers·directions, features) \(stateShapes(batch: 1).map { [$0[0], $0[2]] }), got \(state.shape)")
        }
        let batchDim = batchFirst ? 0 : 1
        let batched = try attributed { try input.unsqueeze(batchDim) }
        let result = try forwardWithStates(batched, initial: try attributed { try initial?.map { try $0.unsqueeze(1) } }, lengths: lengths)
        return try attributed { (try result.sequence.squeeze(batchDim), try result.states.map { try $0.squeeze(1) }) }
    }

    /// How many states a step passes on: 2 for an LSTM (hidden and cell), 1 for a GRU.
    public var stateCount: Int { cell.stateNames.count }

    /// Features of the hidden state and the output of each direction: `projSize`, or `hiddenSize`.
    public var outputSize: Int { projSize > 0 ? projSize : hiddenSize }

    /// The states' shapes for a batch of `batch` sequences: hidden `(numLayers·D, B, outputSize)`, and
    /// an LSTM's cell `(numLayers·D, B, hiddenSize)`.
    public func stateShapes(batch: Int) -> [[Int]] {
        let rows = numLayers * (bidirectional ? 2 : 1)
        return [[rows, batch, outputSize], [rows, batch, hiddenSize]].prefix(stateCount).map { $0 }
    }

    private func checkLengths(_ lengths: [Int], batch: Int, input: Tensor) throws {
        let steps = input.shape[batchFirst ? 1 : 0]
        guard lengths.count == batch else {
            throw LayerError(layer: self, reason: "lengths must give one length per sequence: \(batch) for input \(input.shape), "
                             + "got \(lengths.count)")
        }
        if let bad = lengths.firstIndex(where: { !(1...steps).contains($0) }) {
            throw LayerError(layer: self, reason: "lengths must lie in 1...\(steps) (the steps of input \(input.shape)), "
                             + "got \(lengths[bad]) for sequence \(bad)")
        }
    }

    private func checkStates(_ states: [Tensor], batch: Int, input: Tensor) throws {
        let names = cell.stateNames, shapes = stateShapes(batch: batch)
        guard states.count == names.count else {
            throw LayerError(layer: self, reason: "expected \(names.count) initial state\(names.count == 1 ? "" : "s") "
                             + "(\(names.joined(separator: ", "))), got \(states.count)")
        }
        for (state, (name, expected)) in zip(states, zip(names, shapes)) where state.shape != expected {
            throw LayerError(layer: self, reason: "initial \(name) state must be (layers·directions, batch, \(name == "hidden" && projSize > 0 ? "proj" : "hidden")) \(expected) "
                             + "for input \(input.shape), got \(state.shape)")
        }
    }
}

/// A long short-term memory network (PyTorch `nn.LSTM`): gate order (i, f, g, o) in the weights' rows,
/// `c' = σ(f)·c + σ(i)·tanh(g)`, `h' = σ(o)·tanh(c')`. See `RecurrentNetwork` for shapes and keys.
public final class LSTM: RecurrentNetwork {
    /// The result of `forwardWithState`.
    public struct Output {
        /// The top layer's outputs at every step, `(B, T, D·H)` (or `(T, B, D·H)`).
        public var sequence: Tensor
        /// Final hidden state of every layer and direction, `(numLayers·D, B, H)`; differentiable.
        public var hidden: Tensor
        /// Final cell state of every layer and direction, `(numLayers·D, B, H)`; differentiable.
        public var cell: Tensor
    }

    /// The output sequence and the final hidden and cell states of every layer and direction, from
    /// `initial` (PyTorch's `(h_0, c_0)`, each `(numLayers·D, B, H)`; zeros when nil); `lengths` as in
    /// `forwardWithStates`.
    public func forwardWithState(_ input: Tensor, initial: (hidden: Tensor, cell: Tensor)? = nil,
                                 lengths: [Int]? = nil) throws -> Output {
        let result = try forwardWithStates(input, initial: initial.map { [$0.hidden, $0.cell] }, lengths: lengths)
        guard result.states.count == 2 else { throw LayerError(layer: self, reason: "internal: no cell state") }
        return Output(sequence: result.sequence, hidden: result.states[0], cell: result.states[1])
    }
}

/// A gated recurrent unit network (PyTorch `nn.GRU`): gate order (r, z, n) in the weights' rows,
/// `n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))`, `h' = (1 − z) ⊙ n + z ⊙ h`. See `RecurrentNetwork`
/// for shapes and keys.
public final class GRU: RecurrentNetwork {
    /// The result of `forwardWithState`.
    public struct Output {
        /// The top layer's outputs at every step, `(B, T, D·H)` (or `(T, B, D·H)`).
        public var sequence: Tensor
        /// Final hidden state of every layer and direction, `(numLayers·D, B, H)`; differentiable.
        public var hidden: Tensor
    }

    override class var cellType: RecurrentCell { .gru }

    /// The output sequence and the final hidden state of every layer and direction, from `initial`
    /// (PyTorch's `h_0`, `(numLayers·D, B, H)`; zeros when nil); `lengths` as in `forwardWithStates`.
    public func forwardWithState(_ input: Tensor, initial: Tensor? = nil, lengths: [Int]? = nil) throws -> Output {
        let result = try forwardWithStates(input, initial: initial.map { [$0] }, lengths: lengths)
        guard let hidden = result.states.first else { throw LayerError(layer: self, reason: "internal: no hidden state") }
        return Output(sequence: result.sequence, hidden: hidden)
    }
}

extension RecurrentNetwork: StochasticLayer {
    package var randomGenerators: [RandomGenerator] { [interLayerDropout.generator] }
}
