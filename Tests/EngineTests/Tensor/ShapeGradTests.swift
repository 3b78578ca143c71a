import Engine
import XCTest

/// Shape, indexing and matmul ops: values and finite-difference gradients.
final class ShapeGradTests: XCTestCase {
    func testViewsAndPermutations() throws {
        let rng = GradTest.generator(21)
        let x = try GradTest.normal([2, 3, 4], rng)
        assertGradientsMatch([x]) { try $0[0].reshape([4, -1]) * $0[0].reshape([4, 6]) }
        assertGradientsMatch([x]) { try $0[0].permute([2, 0, 1]) }
        assertGradientsMatch([x]) { try $0[0].transpose(0, 2) }
        assertGradientsMatch([x]) { try $0[0].flatten(startDim: 1) }
        assertGradientsMatch([x]) { try $0[0].unsqueeze(1).squeeze(1) }
        let column = try GradTest.normal([3, 1], rng)
        assertGradientsMatch([column]) { try $0[0].expand(to: [2, 3, 4]) }
        XCTAssertEqual(try column.expand(to: [2, 3, 4]).shape, [2, 3, 4])
        XCTAssertThrowsError(try x.permute([0, 0, 1])) { XCTAssertTrue("\($0)".contains("permute"), "\($0)") }
        XCTAssertThrowsError(try x.expand(to: [3, 4]))
        XCTAssertEqual(try x.squeeze(0).shape, [2, 3, 4])
        XCTAssertEqual(try x.unsqueeze(-1).shape, [2, 3, 4, 1])
    }

    func testTransposeValues() throws {
        let x = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(try x.transpose(0, 1).values, [1, 4, 2, 5, 3, 6])
        let y = try Tensor.arange(0, 24).reshape([2, 3, 4]).permute([1, 2, 0])
        XCTAssertEqual(try y.value(at: [2, 1, 1]), 12 + 8 + 1)
    }

    func testConcatStackSliceSelect() throws {
        let a = try Tensor(shape: [2, 2], values: [1, 2, 3, 4]), b = try Tensor(shape: [2, 1], values: [5, 6])
        XCTAssertEqual(try Tensor.concat([a, b], dim: 1).values, [1, 2, 5, 3, 4, 6])
        XCTAssertEqual(try Tensor.concat([a, a], dim: 0).shape, [4, 2])
        XCTAssertEqual(try Tensor.stack([a, a], dim: 2).shape, [2, 2, 2])
        XCTAssertThrowsError(try Tensor.concat([a, b], dim: 0)) { XCTAssertTrue("\($0)".contains("[2, 1]"), "\($0)") }
        let x = try Tensor.arange(0, 10)
        XCTAssertEqual(try x.slice(dim: 0, start: 2, end: 8, step: 3).values, [2, 5])
        XCTAssertEqual(try x.slice(dim: 0, start: -3).values, [7, 8, 9])
        XCTAssertEqual(try x.slice(dim: 0, start: 8, end: 100).values, [8, 9])
        XCTAssertEqual(try a.select(dim: 1, index: -1).values, [2, 4])
        XCTAssertEqual(try a.indexSelect(dim: 0, indices: [1, 1, 0]).values, [3, 4, 3, 4, 1, 2])
        XCTAssertThrowsError(try a.indexSelect(dim: 0, indices: [2]))
        XCTAssertEqual(try x.split(size: 4, dim: 0).map(\.count), [4, 4, 2])

        let rng = GradTest.generator(22)
        let p = try GradTest.normal([2, 3, 4], rng), q = try GradTest.normal([2, 2, 4], rng)
        assertGradientsMatch([p, q]) { try Tensor.concat([$0[0], $0[1], $0[0]], dim: 1) }
        assertGradientsMatch([p, p.clone()]) { try Tensor.stack([$0[0], $0[1]], dim: 1) }
        assertGradientsMatch([p]) { try $0[0].slice(dim: 2, start: 1, end: 3) }
        assertGradientsMatch([p]) { try $0[0].slice(dim: 1, start: 0, step: 2) }
        assertGradientsMatch([p]) { try $0[0].select(dim: 0, index: 1) }
        assertGradientsMatch([p]) { try $0[0].indexSelect(dim: 2, indices: [3, 0, 3]) }
        assertGradientsMatch([p]) { try Tensor.concat($0[0].split(size: 2, dim: 2).reversed(), dim: 2) }
    }

    func testMatmulGradientsAcrossBatchLayouts() throws {
        let rng = GradTest.generator(23)
        let layouts: [([Int], [Int])] = [
            ([3, 4], [4, 5]),            // plain
            ([2, 3, 4], [4, 5]),         // folded batch (Linear on a sequence)
            ([2, 3, 4], [2, 4, 5]),      // batched
            ([2, 1, 3, 4], [3, 4, 2]),   // broadcast batch on both sides
            ([3, 4], [2, 4, 5]),         // left broadcast
            ([4], [4, 5]), ([3, 4], [4]), ([2, 3, 4], [4]), ([4], [4]), ([4], [2, 4, 5]),
        ]
        for (sa, sb) in layouts {
            let a = try GradTest.normal(sa, rng), b = try GradTest.normal(sb, rng)
            assertGradientsMatch([a, b]) { try Tensor.matmul($0[0], $0[1]) }
        }
        let u = try Tensor(shape: [3], values: [1, 2, 3]), v = try Tensor(shape: [3], values: [4, -5, 6])
        let dotProduct = try Tensor.matmul(u, v)
        XCTAssertEqual(dotProduct.shape, [], "two vectors give a scalar, as in PyTorch")
        XCTAssertEqual(try dotProduct.item(), 12)
        let big = try GradTest.normal([64, 70, 3], rng), w = try GradTest.normal([64, 3, 70], rng)
        let product = try Tensor.matmul(big, w)
        XCTAssertEqual(product.shape, [64, 70, 70])
        // One entry against a direct dot product: the batched path must index matrices correctly.
        var dot: Float = 0
        for k in 0..<3 { dot += try big.value(at: [37, 5, k]) * w.value(at: [37, k, 60]) }
        XCTAssertEqual(try product.value(at: [37, 5, 60]), dot, accuracy: 1e-5)
    }
}
