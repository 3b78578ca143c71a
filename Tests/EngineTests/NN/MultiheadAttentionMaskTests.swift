import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import Foundation
import XCTest

/// Cross-attention and masks checked against facts that need no PyTorch: a plain-loop reference
/// from the layer's own weights, exact zeros for hidden keys, padding ≡ truncation, −inf ≡ `true`,
/// and cross-attention of a sequence with itself ≡ self-attention.
final class MultiheadAttentionMaskTests: XCTestCase {
    private func input(_ shape: [Int], seed: UInt64) throws -> Tensor {
        try Tensor.uniform(shape, low: -1, high: 1, generator: RandomGenerator(seed: seed))
    }

    private func layer(batchFirst: Bool = true, seed: UInt64 = 1) throws -> MultiheadAttention {
        let attention = try MultiheadAttention(embedDim: 8, numHeads: 2, batchFirst: batchFirst, generator: RandomGenerator(seed: seed))
        // PyTorch starts the biases at zero; random ones take part in the comparisons.
        let generator = RandomGenerator(seed: seed + 100)
        for (name, tensor) in attention.namedParameters() where name.hasSuffix("bias") {
            tensor.withUnsafeMutableBufferPointer { generator.fillUniform($0, low: -0.5, high: 0.5) }
        }
        return attention
    }

    /// The batch-first layer's output and head-averaged weights by plain loops in double precision,
    /// with `bias(b, i, j)` added to the scaled score of query `i` and key `j` in sequence `b`.
    private func reference(_ m: MultiheadAttention, _ query: Tensor, _ key: Tensor, _ value: Tensor,
                           bias: (Int, Int, Int) -> Float) throws -> (output: [Float], weights: [Float]) {
        let (batch, l, s, e, heads) = (query.shape[0], query.shape[1], key.shape[1], m.embedDim, m.numHeads)
        let d = e / heads
        let w = try XCTUnwrap(m.inProjWeight).values, inBias = try XCTUnwrap(m.inProjBias).values
        let outW = m.outProj.weight.values, outBias = try XCTUnwrap(m.outProj.bias).values
        func project(_ x: [Float], _ rows: Int, _ part: Int) -> [[Double]] {
            (0..<rows).map { t in
                (0..<e).map { r in
                    (0..<e).reduce(Double(inBias[part * e + r])) { $0 + Double(w[(part * e + r) * e + $1]) * Double(x[t * e + $1]) }
                }
            }
        }
        var output = [Float](), weights = [Float]()
        for b in 0..<batch {
            let q = project(Array(query.values[(b * l * e)..<((b + 1) * l * e)]), l, 0)
            let k = project(Array(key.values[(b * s * e)..<((b + 1) * s * e)]), s, 1)
            let v = project(Array(value.values[(b * s * e)..<((b + 1) * s * e)]), s, 2)
            var attended = [[Double]](repeating: [Double](repeating: 0, count: e), count: l)
            var averaged = [[Double]](repeating: [Double](repeating: 0, count: s), count: l)
            for h in 0..<heads {
                for i in 0..<l {
                    let scores = (0..<s).map { j in
                        (0..<d).reduce(0.0) { $0 + q[i][h * d + $1] * k[j][h * d + $1] } / Double(d).squareRoot() + Double(bias(b, i, j))
                    }
                    let top = scores.max() ?? 0
                    let exps = scores.map { exp($0 - top) }
                    let total = exps.reduce(0, +)
                    for j in 0..<s {
                        let p = exps[j] / total
                        averaged[i][j] += p / Double(heads)
                        for c in 0..<d { attended[i][h * d + c] += p * v[j][h * d + c] }
                    }
                }
            }
            for i in 0..<l {
                for r in 0..<e {
                    output.append(Float((0..<e).reduce(Double(outBias[r])) { $0 + Double(outW[r * e + $1]) * attended[i][$1] }))
                }
                weights += averaged[i].map(Float.init)
            }
        }
        return (output, weights)
    }

    func testCrossAttentionWithMasksMatchesThePlainLoops() throws {
        let attention = try layer()
        let (query, key, value) = (try input([2, 3, 8], seed: 2), try input([2, 6, 8], seed: 3), try input([2, 6, 8], seed: 4))
        let lengths = [6, 4]
        let additive = try input([3, 6], seed: 5)
        let (output, weights) = try attention.attentionWithWeights(
            query, key, value, keyPaddingMask: AttentionMask.keyPadding(lengths: lengths, keyLength: 6),
            attnMask: AttentionMask(additive: additive))
        let expected = try reference(attention, query, key, value) { b, i, j in
            (j >= lengths[b] ? -.infinity : 0) + additive.values[i * 6 + j]
        }
        XCTAssertEqual(output.shape, [2, 3, 8])
        XCTAssertEqual(weights.shape, [2, 3, 6])
        assertClose(output.values, expected.output, absolute: 1e-5, relative: 1e-4, "output")
        assertClose(weights.values, expected.weights, absolute: 1e-6, relative: 1e-4, "weights")
    }

    func testHiddenKeysGetExactlyZeroWeight() throws {
        let attention = try layer(batchFirst: false)
        let (query, memory) = (try input([3, 2, 8], seed: 6), try input([5, 2, 8], seed: 7))
        let padding = try AttentionMask.keyPadding(lengths: [5, 3], keyLength: 5)
        let diagonal = try AttentionMask(blocked: (0..<3).map { i in (0..<5).map { $0 == i } })
        func hidden(_ b: Int, _ i: Int, _ j: Int) -> Bool { j >= [5, 3][b] || j == i }
        for averaged in [true, false] {
            let weights = try attention.attentionWithWeights(query, memory, memory, keyPaddingMask: padding, attnMask: diagonal,
                                                             averageOverHeads: averaged).weights
            let heads = averaged ? 1 : 2
            XCTAssertEqual(weights.shape, averaged ? [2, 3, 5] : [2, 2, 3, 5])
            let w = weights.values
            for b in 0..<2 {
                for h in 0..<heads {
                    for i in 0..<3 {
                        let row = ((b * heads + h) * 3 + i) * 5
                        for j in 0..<5 {
                            if hidden(b, i, j) { XCTAssertEqual(w[row + j], 0, "b \(b) h \(h) query \(i) key \(j)") }
                            else { XCTAssertGreaterThan(w[row + j], 0, "b \(b) h \(h) query \(i) key \(j)") }
                        }
                        XCTAssertEqual(w[row..<(row + 5)].reduce(0, +), 1, accuracy: 1e-6)
                    }
                }
            }
        }
    }

    func testPaddingTheLastKeysEqualsTruncatingThem() throws {
        // Sequence first, self-attention over padded sequences of lengths 6 and 4.
        let attention = try layer(batchFirst: false)
        let x = try input([6, 2, 8], seed: 8)
        let lengths = [6, 4]
        let padded = try attention(x, x, x, keyPaddingMask: AttentionMask.keyPadding(lengths: lengths, keyLength: 6))
        for (b, length) in lengths.enumerated() {
            let sequence = try x.slice(dim: 1, start: b, end: b + 1)
            let kept = try sequence.slice(dim: 0, start: 0, end: length)
            let truncated = try attention(sequence, kept, kept)
            assertClose(try padded.slice(dim: 1, start: b, end: b + 1).values, truncated.values,
                        absolute: 1e-6, relative: 1e-5, "sequence \(b)")
        }
    }

    func testEncoderPassesThePaddingMaskToEveryLayer() throws {
        let encoder = try TransformerEncoder(numLayers: 2) {
            try TransformerEncoderLayer(dModel: 8, numHeads: 2, dimFeedforward: 16, dropout: 0, batchFirst: true,
                                        generator: RandomGenerator(seed: 9))
        }
        let x = try input([2, 5, 8], seed: 10)
        let lengths = [5, 3]
        let padded = try encoder(x, srcKeyPaddingMask: AttentionMask.keyPadding(lengths: lengths, keyLength: 5))
        XCTAssertNotEqual(padded.values, try encoder(x).values, "the mask must change the padded sequence")
        for (b, length) in lengths.enumerated() {
            // The unpadded steps of a padded sequence equal the sequence run without its padding.
            let alone = try encoder(x.slice(dim: 0, start: b, end: b + 1).slice(dim: 1, start: 0, end: length))
            let steps = try padded.slice(dim: 0, start: b, end: b + 1).slice(dim: 1, start: 0, end: length)
            assertClose(steps.values, alone.values, absolute: 1e-5, relative: 1e-4, "sequence \(b)")
        }
    }

    func testMinusInfinityAdditiveMasksEqualBooleanMasks() throws {
        let attention = try layer()
        let (query, memory) = (try input([2, 3, 8], seed: 11), try input([2, 4, 8], seed: 12))
        let hiddenKeys = [[false, false, true, true], [false, true, false, false]]
        let hiddenPairs = (0..<3).map { i in (0..<4).map { $0 == (i + 1) % 4 } }
        func additive(_ rows: [[Bool]]) throws -> AttentionMask {
            try AttentionMask(additive: Tensor(rows: rows.map { $0.map { $0 ? -Float.infinity : 0 } }))
        }
        let boolean = try attention.attentionWithWeights(query, memory, memory, keyPaddingMask: AttentionMask(blocked: hiddenKeys),
                                                         attnMask: AttentionMask(blocked: hiddenPairs))
        let minusInfinity = try attention.attentionWithWeights(query, memory, memory, keyPaddingMask: additive(hiddenKeys),
                                                               attnMask: additive(hiddenPairs))
        XCTAssertEqual(boolean.output.values, minusInfinity.output.values)
        XCTAssertEqual(boolean.weights.values, minusInfinity.weights.values)
        XCTAssertFalse(try attention.attentionWithWeights(query, memory, memory).weights.values.contains(0))
    }

    func testCrossAttentionOfASequenceWithItselfIsSelfAttention() throws {
        let attention = try layer()
        let x = try input([2, 5, 8], seed: 13)
        let (key, value) = (try Tensor(shape: x.shape, values: x.values), try Tensor(shape: x.shape, values: x.values))
        for t in [x, key, value] { t.requiresGrad = true }
        let r = try input([2, 5, 8], seed: 14)
        let alone = try attention(x)
        try (alone * r).sum().backward()
        let selfGradient = try XCTUnwrap(x.grad).values
        let parameterGradients = attention.parameters().map { $0.grad?.values ?? [] }
        x.grad = nil
        attention.zeroGrad()
        let cross = try attention(x, key, value)
        assertClose(cross.values, alone.values, absolute: 1e-6, relative: 1e-5, "separate key and value")
        assertClose(try attention(x, key, key).values, alone.values, absolute: 1e-6, relative: 1e-5, "one key/value tensor")
        try (cross * r).sum().backward()
        // The self-attention input gradient is the sum of the three roles' gradients.
        let sum = try XCTUnwrap(x.grad) + XCTUnwrap(key.grad) + XCTUnwrap(value.grad)
        assertClose(sum.values, selfGradient, absolute: 1e-5, relative: 1e-4, "input gradient")
        for (parameter, expected) in zip(attention.parameters(), parameterGradients) {
            assertClose(parameter.grad?.values ?? [], expected, absolute: 1e-5, relative: 1e-4, "parameter gradient")
        }
    }

    func testAQueryWithEveryKeyHiddenGetsNaNAsInPyTorch() throws {
        let attention = try layer()
        let (query, memory) = (try input([1, 3, 8], seed: 15), try input([1, 4, 8], seed: 16))
        let mask = try AttentionMask(blocked: [[false, true, false, false], [true, true, true, true], [false, false, false, true]])
        let (output, weights) = try attention.attentionWithWeights(query, memory, memory, attnMask: mask)
        for i in 0..<3 {
            let row = output.values[(i * 8)..<(i * 8 + 8)], weightRow = weights.values[(i * 4)..<(i * 4 + 4)]
            XCTAssertEqual(row.allSatisfy(\.isNaN), i == 1, "query \(i): \(Array(row))")
            XCTAssertEqual(weightRow.allSatisfy(\.isNaN), i == 1, "query \(i) weights: \(Array(weightRow))")
            if i != 1 { XCTAssertTrue(row.allSatisfy(\.isFinite)) }
        }
    }

    func testBadShapesAndMasksNameTheLayerAndTheShapes() throws {
        let attention = try layer()
        let model = Sequential([attention])
        let (query, key) = (try input([2, 3, 8], seed: 17), try input([2, 5, 8], seed: 18))
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body() } catch { return "\(error)" }
            return "no error"
        }
        let mismatch = withExtendedLifetime(model) { message { try attention(query, key, input([2, 6, 8], seed: 19)) } }
        for part in ["0 (MultiheadAttention(embed: 8, heads: 2", "query [2, 3, 8], key [2, 5, 8], value [2, 6, 8]"] {
            XCTAssertTrue(mismatch.contains(part), mismatch)
        }
        let batch = message { try attention(query, input([3, 5, 8], seed: 20), input([3, 5, 8], seed: 21)) }
        XCTAssertTrue(batch.contains("same batch B"), batch)
        let padding = message {
            try attention(query, key, key, keyPaddingMask: AttentionMask.keyPadding(lengths: [5, 5], keyLength: 6))
        }
        XCTAssertTrue(padding.contains("keyPaddingMask must be (batch, key length) [2, 5] for query [2, 3, 8] and key [2, 5, 8], got [2, 6]"),
                      padding)
        let pairs = message { try attention(query, key, key, attnMask: AttentionMask(blocked: [[true, false]])) }
        XCTAssertTrue(pairs.contains("attnMask must be (query length, key length) [3, 5]"), pairs)
        XCTAssertTrue(message { try attention(input([2, 3, 7], seed: 22)) }.contains("expected input of shape (B, T, 8), got [2, 3, 7]"))
        XCTAssertThrowsError(try AttentionMask(blocked: [[true, false], [true]]))
        XCTAssertThrowsError(try AttentionMask(blocked: []))
        XCTAssertThrowsError(try AttentionMask(additive: Tensor([1, 2])))
        XCTAssertThrowsError(try AttentionMask.keyPadding(lengths: [3, 7], keyLength: 6))
    }
}
