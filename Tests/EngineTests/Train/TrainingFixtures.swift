import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import Foundation

/// Small synthetic problems and models for the training tests.
enum TrainingFixtures {
    /// `perClass` points around each of `classes` well-separated centres in 4-D (noise σ 0.3),
    /// interleaved by class; labels are the centre index.
    static func clusters(classes: Int = 3, perClass: Int = 40, seed: UInt64 = 1) throws -> TensorDataset {
        let random = RandomGenerator(seed: seed)
        let dims = 4
        let centres = (0..<classes).map { c in (0..<dims).map { d in Float(((c + d) % classes) * 2) - Float(classes - 1) } }
        var values: [Float] = [], labels: [Int] = []
        for i in 0..<(classes * perClass) {
            let c = i % classes
            labels.append(c)
            values += centres[c].map { $0 + 0.3 * random.normal() }
        }
        return try TensorDataset(features: Tensor(shape: [labels.count, dims], values: values), labels: labels)
    }

    /// Linear(4, 16) → BatchNorm1d → ReLU → Dropout(0.2) → Linear(16, classes), initialised from `seed`.
    static func mlp(classes: Int = 3, seed: UInt64 = 7, dropout: Float = 0.2) throws -> Sequential {
        let generator = RandomGenerator(seed: seed)
        return Sequential([try Linear(4, 16, generator: generator), try BatchNorm1d(16), ReLU(),
                           try Dropout(dropout, generator: generator.fork()), try Linear(16, classes, generator: generator)])
    }

    /// Options that print nothing.
    static func quiet(epochs: Int, batchSize: Int = 16) -> FitOptions {
        var options = FitOptions(epochs: epochs, batchSize: batchSize)
        options.progress = .silent
        return options
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("train-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Collects everything written to a progress output.
final class CapturedOutput {
    private(set) var text = ""

    func output(isTerminal: Bool) -> ProgressOutput {
        ProgressOutput(isTerminal: isTerminal) { [unowned self] in self.text += $0 }
    }
}
