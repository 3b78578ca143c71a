// Demo feasibility: the README demo's whole run — demo corpus, notebook features, Parallel
// CNN-Transformer training, test evaluation — timed stage by stage, with the accuracy it reaches.
// `make demo-feasibility ARGS="--epochs 6 --copies 0 --optimizer adam --lr 0.001"`; every run is
// appended to Benchmarks/results/demo_feasibility.json. See docs/demo.md.
import Engine
import Foundation

struct Settings: Codable {
    var corpus = NSTemporaryDirectory() + "serscript-demo-corpus"
    var regenerate = false
    var speakers = 12
    var corpusSeed: UInt64 = 1
    var copies = 2
    var optimizer = "sgd"
    var lr: Float = 0.01
    var momentum: Float = 0.8
    var weightDecay: Float = 1e-3
    var epochs = 3
    var batch = 32
    var seed: UInt64 = 1
    var trainFraction = 0.8
    var validationFraction = 0.1

    static let usage = """
        usage: DemoFeasibility [--corpus DIR] [--regenerate] [--speakers N] [--corpus-seed N] [--copies N]
                               [--optimizer sgd|adam|adamw] [--lr X] [--momentum X] [--weight-decay X]
                               [--epochs N] [--batch N] [--seed N] [--train-fraction X] [--validation-fraction X]
        """

    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            if flag == "--regenerate" { regenerate = true; continue }
            guard let value = rest.popFirst() else { throw UsageError("\(flag) needs a value") }
            func number<T: LosslessStringConvertible>(_: T.Type) throws -> T {
                guard let parsed = T(value) else { throw UsageError("\(flag): cannot read '\(value)'") }
                return parsed
            }
            switch flag {
            case "--corpus": corpus = value
            case "--speakers": speakers = try number(Int.self)
            case "--corpus-seed": corpusSeed = try number(UInt64.self)
            case "--copies": copies = try number(Int.self)
            case "--optimizer": optimizer = value
            case "--lr": lr = try number(Float.self)
            case "--momentum": momentum = try number(Float.self)
            case "--weight-decay": weightDecay = try number(Float.self)
            case "--epochs": epochs = try number(Int.self)
            case "--batch": batch = try number(Int.self)
            case "--seed": seed = try number(UInt64.self)
            case "--train-fraction": trainFraction = try number(Double.self)
            case "--validation-fraction": validationFraction = try number(Double.self)
            default: throw UsageError("unknown option \(flag)")
            }
        }
    }

    func makeOptimizer(_ parameters: [Tensor]) throws -> Optimizer {
        switch optimizer {
        case "sgd": return try SGD(parameters: parameters, learningRate: lr, momentum: momentum, weightDecay: weightDecay)
        case "adam": return try Adam(parameters: parameters, learningRate: lr, weightDecay: weightDecay)
        case "adamw": return try AdamW(parameters: parameters, learningRate: lr, weightDecay: weightDecay)
        default: throw UsageError("--optimizer must be sgd, adam or adamw, got \(optimizer)")
        }
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message + "\n" + Settings.usage }
}

struct Stage: Codable { let name: String; let seconds: Double }
struct Epoch: Codable {
    let epoch: Int, seconds: Double, samplesPerSecond: Double
    let trainLoss: Double, trainAccuracy: Double, validationAccuracy: Double?
}
struct Run: Codable {
    let date: String, settings: Settings, load: String
    let trainExamples: Int, validationExamples: Int, testExamples: Int
    let stages: [Stage], epochs: [Epoch]
    let testAccuracy: Double, totalSeconds: Double
}

func seconds<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
}

func main() throws {
    let settings = try Settings(arguments: Array(CommandLine.arguments.dropFirst()))
    let loadBefore = loadAverage()
    print("load average before: \(loadBefore); OpenBLAS threads \(BLAS.threadCount)")
    var stages: [Stage] = []
    let runStart = DispatchTime.now().uptimeNanoseconds

    let corpusURL = URL(fileURLWithPath: settings.corpus)
    let corpusOptions = DemoCorpusOptions(seed: settings.corpusSeed, speakers: settings.speakers)
    if settings.regenerate || !DemoCorpus.isComplete(corpusURL, options: corpusOptions) {
        let (_, time) = try seconds { try DemoCorpus.generate(into: corpusURL, options: corpusOptions) }
        stages.append(Stage(name: "generate demo corpus", seconds: time))
    } else {
        print("reusing the corpus in \(settings.corpus) (--regenerate to time its generation)")
    }

    let (dataset, indexTime) = try seconds {
        try Corpus.ravdess.index(root: settings.corpus, options: CorpusOptions(order: .notebook)).dataset
    }
    stages.append(Stage(name: "index corpus", seconds: indexTime))
    let split = try Splits.stratified(dataset, train: settings.trainFraction, validation: settings.validationFraction,
                                         seed: settings.seed)
    var dataOptions = NotebookDataOptions()
    dataOptions.augmentedCopies = settings.copies
    dataOptions.seed = settings.seed
    let data = try NotebookData.prepare(dataset, split: split, options: dataOptions)
    stages += data.timings.map { Stage(name: $0.stage, seconds: $0.seconds) }
    print("train \(data.train.count) examples (\(split.train.count) clips), validation \(data.validation.count), test \(data.test.count)")

    let model = try ParallelCNNTransformer(numEmotions: dataset.classes.count, generator: RandomGenerator(seed: settings.seed))
    let optimizer = try settings.makeOptimizer(model.parameters())
    var fitOptions = FitOptions(epochs: settings.epochs, batchSize: settings.batch)
    fitOptions.seed = settings.seed
    fitOptions.progress = .lines
    let (history, trainTime) = try seconds {
        try fit(model, optimizer: optimizer, train: data.train, validation: data.validation, options: fitOptions)
    }
    stages.append(Stage(name: "train \(settings.epochs) epochs (incl. validation)", seconds: trainTime))
    let (result, testTime) = try seconds { try evaluate(model, on: data.test, classNames: dataset.classNames) }
    stages.append(Stage(name: "evaluate test", seconds: testTime))
    let total = Double(DispatchTime.now().uptimeNanoseconds - runStart) / 1e9

    print("\nstage                                              seconds")
    for stage in stages { print(stage.name.padding(toLength: 48, withPad: " ", startingAt: 0) + String(format: "%10.1f", stage.seconds)) }
    print(String(format: "total (this process)                            %10.1f", total))
    print(result.report.table)
    print(String(format: "test accuracy %.1f %% (%d clips), load average after: %@", 100 * result.accuracy, data.test.count, loadAverage()))

    let epochs = history.epochs.map {
        Epoch(epoch: $0.epoch, seconds: $0.seconds, samplesPerSecond: $0.samplesPerSecond, trainLoss: $0.trainLoss,
              trainAccuracy: $0.trainAccuracy, validationAccuracy: $0.validationAccuracy)
    }
    let run = Run(date: ISO8601DateFormatter().string(from: Date()), settings: settings,
                  load: "\(loadBefore) → \(loadAverage())", trainExamples: data.train.count,
                  validationExamples: data.validation.count, testExamples: data.test.count,
                  stages: stages, epochs: epochs, testAccuracy: result.accuracy, totalSeconds: total)
    try append(run)
}

/// Adds `run` to the JSON list of all measured runs.
func append(_ run: Run) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("results/demo_feasibility.json")
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    var runs: [Run] = []
    if let data = try? Data(contentsOf: url) { runs = (try? JSONDecoder().decode([Run].self, from: data)) ?? [] }
    runs.append(run)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(runs).write(to: url)
    print("appended to \(url.path)")
}

do {
    try main()
} catch {
    FileHandle.standardError.write(Data("DemoFeasibility: \(error)\n".utf8))
    exit(1)
}
