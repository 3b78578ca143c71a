import EngineTensor
import EngineNN

/// Graph operations on `ONNXValue`s: each adds its nodes and computes the matching example with
/// serscript's own tensor ops, so every later static shape (and the batch dimension) is known.
extension ONNXEmitter {
    /// The value `name` whose example is `example`, batch in `batchAxis`.
    func value(_ name: String, _ example: Tensor, batchAxis: Int) -> ONNXValue {
        ONNXValue(name: name, example: example, batchAxis: batchAxis)
    }

    /// A reshape to `example`'s shape with the batch dimension (`batchAxis`) left to ONNX (−1).
    func reshape(_ x: ONNXValue, to example: Tensor, batchAxis: Int) -> ONNXValue {
        var target = example.shape
        target[batchAxis] = -1
        let name = graph.node("Reshape", [x.name, graph.int64s(target)])
        return value(name, example, batchAxis: batchAxis)
    }

    func flatten(_ x: ONNXValue, startDim: Int, endDim: Int = -1) throws -> ONNXValue {
        let start = startDim < 0 ? startDim + x.rank : startDim, end = endDim < 0 ? endDim + x.rank : endDim
        let example = try x.example.flatten(startDim: startDim, endDim: endDim)
        let batch = x.batchAxis < start ? x.batchAxis : x.batchAxis <= end ? start : x.batchAxis - (end - start)
        return reshape(x, to: example, batchAxis: batch)
    }

    func squeeze(_ x: ONNXValue, dim: Int) throws -> ONNXValue {
        let axis = dim < 0 ? dim + x.rank : dim
        let example = try x.example.squeeze(dim)
        return reshape(x, to: example, batchAxis: x.batchAxis - (axis < x.batchAxis ? 1 : 0))
    }

    func unsqueeze(_ x: ONNXValue, dim: Int) throws -> ONNXValue {
        let axis = dim < 0 ? dim + x.rank + 1 : dim
        let example = try x.example.unsqueeze(dim)
        return reshape(x, to: example, batchAxis: x.batchAxis + (axis <= x.batchAxis ? 1 : 0))
    }

    func permute(_ x: ONNXValue, _ dims: [Int]) throws -> ONNXValue {
        let order = dims.map { $0 < 0 ? $0 + x.rank : $0 }
        let example = try x.example.permute(order)
        let name = graph.node("Transpose", [x.name], attributes: [ONNXAttribute.ints("perm", order)])
        return value(name, example, batchAxis: order.firstIndex(of: x.batchAxis) ?? 0)
    }

    func mean(_ x: ONNXValue, dim: Int) throws -> ONNXValue {
        let axis = dim < 0 ? dim + x.rank : dim
        guard axis != x.batchAxis else { throw ONNXExportError("a mean over the batch dimension cannot be exported") }
        let name = graph.node("ReduceMean", [x.name], attributes: [ONNXAttribute.ints("axes", [axis]), ONNXAttribute.int("keepdims", 0)])
        return value(name, try x.example.mean(dim: axis), batchAxis: x.batchAxis - (axis < x.batchAxis ? 1 : 0))
    }

    func concat(_ parts: [ONNXValue], dim: Int) throws -> ONNXValue {
        let example = try Tensor.concat(parts.map(\.example), dim: dim)
        let axis = dim < 0 ? dim + example.rank : dim
        let name = graph.node("Concat", parts.map(\.name), attributes: [ONNXAttribute.int("axis", axis)])
        return value(name, example, batchAxis: parts[0].batchAxis)
    }

    func softmax(_ x: ONNXValue, dim: Int) throws -> ONNXValue {
        let axis = dim < 0 ? dim + x.rank : dim
        let name = graph.node("Softmax", [x.name], attributes: [ONNXAttribute.int("axis", axis)])
        return value(name, try x.example.softmax(dim: axis), batchAxis: x.batchAxis)
    }

    /// Step `index` of dimension `dim`, which disappears (`Tensor.select`).
    func select(_ x: ONNXValue, dim: Int, index: Int) throws -> ONNXValue {
        let name = graph.node("Gather", [x.name, graph.int64s([index], shape: [])], attributes: [ONNXAttribute.int("axis", dim)])
        return value(name, try x.example.select(dim: dim, index: index), batchAxis: x.batchAxis - (dim < x.batchAxis ? 1 : 0))
    }

    /// `x · Wᵀ + b` over the last dimension, for inputs of any rank.
    func linear(_ x: ONNXValue, _ layer: Linear) throws -> ONNXValue {
        let output = try layer(x.example)
        return value(linearNodes(x.name, weight: layer.weight, bias: layer.bias), output, batchAxis: x.batchAxis)
    }

    /// MatMul by the transpose of `weight` `(out, in)`, then Add `bias`; returns the output name.
    func linearNodes(_ input: String, weight: Tensor, bias: Tensor?) -> String {
        let (rows, columns) = (weight.shape[0], weight.shape[1])
        let values = weight.values
        var transposed = [Float](repeating: 0, count: values.count)
        for row in 0..<rows { for column in 0..<columns { transposed[column * rows + row] = values[row * columns + column] } }
        let product = graph.node("MatMul", [input, graph.constant(transposed, shape: [columns, rows])])
        guard let bias else { return product }
        return graph.node("Add", [product, graph.constant(bias)])
    }

    /// Attention pooling over time of a batch-first `(B, T, F)` sequence: softmax of `score` over
    /// time, then the weighted sum → `(B, F)`.
    func attentionPool(_ x: ONNXValue, score: Linear) throws -> ONNXValue {
        guard x.rank == 3, x.batchAxis == 0 else {
            throw ONNXExportError(layer: score, "attention pooling needs a batch-first (B, T, F) sequence, got \(x.shape)")
        }
        let scores = graph.node("Softmax", [linearNodes(x.name, weight: score.weight, bias: score.bias)],
                                attributes: [ONNXAttribute.int("axis", 1)])
        let weighted = graph.node("Mul", [x.name, scores])
        let pooled = graph.node("ReduceSum", [weighted, graph.int64s([1])], attributes: [ONNXAttribute.int("keepdims", 0)])
        return value(pooled, try AttentionPooling.pool(x.example, score: score).pooled, batchAxis: 0)
    }
}
