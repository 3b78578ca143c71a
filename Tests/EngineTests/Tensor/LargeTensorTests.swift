import Engine
import XCTest

/// Tensors big enough to take the multi-core paths, checked element by element against plain loops.
final class LargeTensorTests: XCTestCase {
    func testBroadcastSplitAcrossCoresMatchesPlainLoop() throws {
        let rng = RandomGenerator(seed: 41)
        let a = try Tensor.randn([40, 30, 50], generator: rng), b = try Tensor.randn([30, 1], generator: rng)
        let sum = try a + b
        let (av, bv, sv) = (a.values, b.values, sum.values)
        for i in 0..<40 { for j in 0..<30 { for k in 0..<50 {
            let index = (i * 30 + j) * 50 + k
            XCTAssertEqual(sv[index], av[index] + bv[j])
        } } }
        let same = try a * a
        XCTAssertEqual(same.values, av.map { $0 * $0 })
        let scaled = a.exp().values
        for (s, x) in zip(scaled, av) { XCTAssertEqual(s, Foundation.exp(x), accuracy: 4 * Foundation.exp(x).ulp) }
    }

    func testSoftmaxOverManyRowsAndAlongAMiddleDimension() throws {
        let rng = RandomGenerator(seed: 42)
        let x = try Tensor.randn([300, 7, 40], std: 3, generator: rng)
        let xv = x.values
        for dim in [2, 1] {
            let y = try x.softmax(dim: dim).values
            let (n, inner) = dim == 2 ? (40, 1) : (7, 40)
            for o in 0..<300 {
                for i in 0..<(dim == 2 ? 7 : 40) {
                    let base = dim == 2 ? (o * 7 + i) * 40 : o * 280 + i
                    let lane = (0..<n).map { Double(xv[base + $0 * inner]) }
                    let peak = lane.max() ?? 0
                    let total = lane.map { Foundation.exp($0 - peak) }.reduce(0, +)
                    for k in 0..<n {
                        XCTAssertEqual(Double(y[base + k * inner]), Foundation.exp(lane[k] - peak) / total, accuracy: 1e-6)
                    }
                }
            }
        }
    }

    func testEveryPermutationOfARank4TensorMatchesIndexArithmetic() throws {
        let shape = [3, 37, 9, 41]
        let x = try Tensor.arange(0, Float(shape.reduce(1, *))).reshape(shape)
        let strides = [37 * 9 * 41, 9 * 41, 41, 1]
        func permutations(_ items: [Int]) -> [[Int]] {
            items.count <= 1 ? [items] : items.flatMap { head in permutations(items.filter { $0 != head }).map { [head] + $0 } }
        }
        for order in permutations([0, 1, 2, 3]) {
            let y = try x.permute(order).values
            let outShape = order.map { shape[$0] }
            var index = [0, 0, 0, 0], mismatches = 0
            for flat in 0..<y.count {
                var source = 0
                for d in 0..<4 { source += index[d] * strides[order[d]] }
                if y[flat] != Float(source) { mismatches += 1 }
                var d = 3
                while d >= 0 {
                    index[d] += 1
                    if index[d] < outShape[d] { break }
                    index[d] = 0
                    d -= 1
                }
            }
            XCTAssertEqual(mismatches, 0, "permutation \(order)")
        }
    }
}
