import EngineTensor
import EngineNN
import EngineAudio
import EngineData

extension Module {
    /// Restarts every stochastic layer's generator from a stream keyed by `seed`, `epoch` and the
    /// layer's position in the tree, so an epoch's dropout masks depend on nothing else — the same
    /// in a straight run and in one resumed from a checkpoint.
    func reseedStochasticLayers(seed: UInt64, epoch: Int) {
        var index: UInt64 = 0
        for (_, module) in namedModules() {
            guard let layer = module as? StochasticLayer else { continue }
            for generator in layer.randomGenerators {
                generator.reseed(RandomGenerator.streamSeed(seed, [0xD50, UInt64(truncatingIfNeeded: epoch), index]))
                index += 1
            }
        }
    }

    /// Runs `body` in evaluation mode without recording a graph, then restores the previous mode.
    func inferenceMode<R>(_ body: () throws -> R) rethrows -> R {
        let wasTraining = isTraining
        eval()
        defer { train(wasTraining) }
        return try GradMode.withDisabled(body)
    }
}
