import EngineNN

/// ONNX forms of the convolution, pooling, normalisation and activation layers.
extension ONNXEmitter {
    func convolution(_ layer: ConvolutionLayer, _ x: ONNXValue) throws -> ONNXValue {
        guard layer.paddingMode == .zeros else {
            throw ONNXExportError(layer: layer, "padding mode \(layer.paddingMode.rawValue) has no ONNX export (only zeros)")
        }
        let oneD = layer is Conv1d
        func sizes(_ pair: (height: Int, width: Int)) -> [Int] { oneD ? [pair.width] : [pair.height, pair.width] }
        let pads = sizes(layer.padding) + sizes(layer.trailingPadding)
        var inputs = [x.name, graph.constant(layer.weight)]
        if let bias = layer.bias { inputs.append(graph.constant(bias)) }
        let name = graph.node("Conv", inputs, attributes: [
            ONNXAttribute.ints("kernel_shape", sizes(layer.kernel)), ONNXAttribute.ints("strides", sizes(layer.stride)),
            ONNXAttribute.ints("pads", pads), ONNXAttribute.ints("dilations", sizes(layer.dilation)),
            ONNXAttribute.int("group", layer.groups)])
        return value(name, try layer(x.example), batchAxis: x.batchAxis)
    }

    func pooling(_ layer: PoolingLayer, _ x: ONNXValue) throws -> ONNXValue {
        let oneD = layer is MaxPool1d || layer is AvgPool1d, isMax = layer is MaxPool1d || layer is MaxPool2d
        func sizes(_ pair: (height: Int, width: Int)) -> [Int] { oneD ? [pair.width] : [pair.height, pair.width] }
        var attributes = [ONNXAttribute.ints("kernel_shape", sizes(layer.kernel)), ONNXAttribute.ints("strides", sizes(layer.stride)),
                          ONNXAttribute.ints("pads", sizes(layer.padding) + sizes(layer.padding)),
                          ONNXAttribute.int("ceil_mode", layer.ceilMode ? 1 : 0)]
        if isMax {
            attributes.append(ONNXAttribute.ints("dilations", sizes(layer.dilation)))
        } else {
            guard sizes(layer.dilation).allSatisfy({ $0 == 1 }) else {
                throw ONNXExportError(layer: layer, "dilated average pooling has no ONNX export at opset \(ONNXExport.opset)")
            }
            attributes.append(ONNXAttribute.int("count_include_pad", layer.countIncludePad ? 1 : 0))
        }
        let name = graph.node(isMax ? "MaxPool" : "AveragePool", [x.name], attributes: attributes)
        return value(name, try layer(x.example), batchAxis: x.batchAxis)
    }

    /// Adaptive pooling whose output size divides the input evenly: a plain pooling with
    /// kernel = stride = input / output (other sizes have overlapping, uneven windows).
    func adaptivePooling(_ layer: AdaptivePoolingLayer, _ x: ONNXValue) throws -> ONNXValue {
        let output = try layer(x.example)
        let spatial = layer is AdaptiveAvgPool1d || layer is AdaptiveMaxPool1d ? 1 : 2
        let inSizes = Array(x.shape.suffix(spatial)), outSizes = Array(output.shape.suffix(spatial))
        guard zip(inSizes, outSizes).allSatisfy({ $0 % $1 == 0 }) else {
            throw ONNXExportError(layer: layer, "output size \(outSizes) does not divide input size \(inSizes); only even windows export to ONNX")
        }
        let kernel = zip(inSizes, outSizes).map { $0 / $1 }
        let op = layer is AdaptiveMaxPool1d || layer is AdaptiveMaxPool2d ? "MaxPool" : "AveragePool"
        let name = graph.node(op, [x.name], attributes: [ONNXAttribute.ints("kernel_shape", kernel), ONNXAttribute.ints("strides", kernel)])
        return value(name, output, batchAxis: x.batchAxis)
    }

    /// Batch norm with its running statistics (the model is exported in eval mode).
    func batchNorm(_ layer: BatchNormLayer, _ x: ONNXValue) throws -> ONNXValue {
        let name = graph.node("BatchNormalization",
                              [x.name, graph.constant(layer.weight), graph.constant(layer.bias),
                               graph.constant(layer.runningMean), graph.constant(layer.runningVar)],
                              attributes: [ONNXAttribute.float("epsilon", layer.epsilon)])
        return value(name, try layer(x.example), batchAxis: x.batchAxis)
    }

    func layerNorm(_ layer: LayerNorm, _ x: ONNXValue) throws -> ONNXValue {
        value(layerNormNodes(layer, x.name), try layer(x.example), batchAxis: x.batchAxis)
    }

    /// LayerNormalization over the trailing `normalizedShape` dimensions; returns the output name.
    func layerNormNodes(_ layer: LayerNorm, _ input: String) -> String {
        let count = layer.normalizedShape.reduce(1, *)
        let scale = layer.weight.map { graph.constant($0) } ?? graph.constant([Float](repeating: 1, count: count), shape: layer.normalizedShape)
        let shift = layer.bias.map { graph.constant($0) } ?? graph.constant([Float](repeating: 0, count: count), shape: layer.normalizedShape)
        return graph.node("LayerNormalization", [input, scale, shift],
                          attributes: [ONNXAttribute.int("axis", -layer.normalizedShape.count), ONNXAttribute.float("epsilon", layer.epsilon)])
    }

    func activation(_ layer: ActivationLayer, _ x: ONNXValue) throws -> ONNXValue {
        let name: String
        switch layer.kind {
        case .leakyRelu: name = graph.node("LeakyRelu", [x.name], attributes: [ONNXAttribute.float("alpha", layer.slope)])
        case .tanh: name = graph.node("Tanh", [x.name])
        case .sigmoid: name = graph.node("Sigmoid", [x.name])
        case .gelu:
            // The exact GELU, x · (1 + erf(x / √2)) / 2 (ONNX has no Gelu op before opset 20).
            let erf = graph.node("Erf", [graph.node("Mul", [x.name, graph.constant([Float(0.5).squareRoot()], shape: [])])])
            let onePlus = graph.node("Add", [erf, graph.constant([1], shape: [])])
            name = graph.node("Mul", [graph.node("Mul", [x.name, onePlus]), graph.constant([0.5], shape: [])])
        }
        return value(name, try layer(x.example), batchAxis: x.batchAxis)
    }
}
