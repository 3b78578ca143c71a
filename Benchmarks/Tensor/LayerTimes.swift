import Engine
import Foundation

/// Forward time of each top-level stage of a model's conv branch (eval, no graph), to see where an
/// inference batch goes. Printed with `BenchTensor --layers`.
enum LayerTimes {
    static func printConvBranch(batch: Int, repeats: Int) throws {
        let model = try ParallelCNNTransformer()
        model.eval()
        var x = try Tensor.randn([batch] + ParallelCNNTransformer.inputShape, generator: RandomGenerator(seed: 1))
        print("\nconv branch of the parallel models, forward per layer (eval, batch \(batch)), ms:")
        for (name, layer) in model.conv2Dblock.namedChildren {
            var output = x
            let seconds = try ModelThroughput.timed(warmup: 1, repeats: repeats) {
                output = try GradMode.withDisabled { try layer(x) }
            }
            print(String(format: "  %-3@ %-60@ %8.1f", name, layer.typeDescription, 1000 * ModelThroughput.median(seconds)))
            x = output
        }
    }
}
