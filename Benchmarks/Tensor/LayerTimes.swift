import Engine
import Foundation

/// Time of each top-level stage of a notebook model's conv branch (`conv2Dblock`), to see where a
/// batch goes. Printed with `BenchTensor --layers [--model NAME]`: eval forward without a graph,
/// then training forward and backward (each layer's input requires a gradient, except the model
/// input, as in a real training step). Each column is the median wall time and, in parentheses, the
/// median CPU time of the whole process (both cores), which a busy machine disturbs less.
enum LayerTimes {
    static func printConvBranch(_ name: String, model: Module, sampleShape: [Int], batch: Int, repeats: Int) throws {
        guard let branch = model.namedChildren.first(where: { $0.name == "conv2Dblock" })?.module else {
            print("\(name) has no conv2Dblock")
            return
        }
        let input = try Tensor.randn([batch] + sampleShape, generator: RandomGenerator(seed: 1))
        print("\n\(name): conv2Dblock per layer at batch \(batch), median ms (CPU ms) of \(repeats)")
        print("  " + "layer".padding(toLength: 52, withPad: " ", startingAt: 0)
              + "      infer         train fwd       train bwd")
        var totals = [Sample](repeating: Sample(wall: 0, cpu: 0), count: 3)
        var x = input
        for (index, (layerName, layer)) in branch.namedChildren.enumerated() {
            let (times, output) = try time(layer, input: x, inputNeedsGrad: index > 0, repeats: repeats)
            totals = zip(totals, times).map { Sample(wall: $0.wall + $1.wall, cpu: $0.cpu + $1.cpu) }
            let inner = (layer as? TimeDistributed)?.module ?? layer
            print("  " + "\(layerName) \(inner.typeDescription)".prefix(52).padding(toLength: 52, withPad: " ", startingAt: 0)
                  + times.map(\.formatted).joined())
            x = output
        }
        print("  " + "total".padding(toLength: 52, withPad: " ", startingAt: 0) + totals.map(\.formatted).joined())
    }

    struct Sample {
        var wall: Double
        var cpu: Double
        var formatted: String { String(format: "%8.1f (%5.0f)", 1000 * wall, 1000 * cpu) }

        static func median(_ samples: [Sample]) -> Sample {
            Sample(wall: ModelThroughput.median(samples.map(\.wall)), cpu: ModelThroughput.median(samples.map(\.cpu)))
        }
    }

    static func measure(_ body: () throws -> Void) rethrows -> Sample {
        let (cpu, start) = (ModelThroughput.processCPUSeconds(), DispatchTime.now().uptimeNanoseconds)
        try body()
        return Sample(wall: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpu: ModelThroughput.processCPUSeconds() - cpu)
    }

    /// Medians of an eval forward, a training forward and its backward, and the training output.
    private static func time(_ layer: Module, input: Tensor, inputNeedsGrad: Bool,
                             repeats: Int) throws -> ([Sample], Tensor) {
        var infer: [Sample] = [], forward: [Sample] = [], backward: [Sample] = []
        var output = input
        for _ in 0...repeats {   // the first round warms up
            layer.eval()
            infer.append(try measure { _ = try GradMode.withDisabled { try layer(input) } })
            layer.train()
            let x = input.detach()
            x.requiresGrad = inputNeedsGrad
            var y = x
            forward.append(try measure { y = try layer(x) })
            let gradient = Tensor.ones(like: y)
            backward.append(y.requiresGrad ? try measure { try y.backward(gradient: gradient) } : Sample(wall: 0, cpu: 0))
            output = y.detach()
        }
        return ([infer, forward, backward].map { Sample.median(Array($0.dropFirst())) }, output)
    }
}
