import EngineFormats
import EngineTensor
import EngineNN
import EngineAudio
import EngineData

/// A model's results on a labelled dataset: loss, accuracy, per-example predictions and
/// probabilities, and the full `ClassificationReport` (per-class scores, UAR, macro F1, confusion).
public struct Evaluation {
    /// Mean loss over the examples.
    public let loss: Double
    /// Fraction of examples predicted correctly.
    public let accuracy: Double
    /// True class of each example.
    public let labels: [Int]
    /// Predicted (arg-max) class of each example.
    public let predictions: [Int]
    /// Softmax probabilities of each example, one value per class.
    public let probabilities: [[Float]]
    /// Clip-table row of each example (see `TensorDataset.metadataRows`).
    public let metadataRows: [Int]
    /// Per-class precision / recall / F1 / support, UAR, macro F1, confusion matrix, log loss.
    public let report: ClassificationReport

    /// Correct and wrong predictions per value of a clip-table column (the notebooks' intensity and
    /// gender tables); `dataset` is the clip table the examples' `metadataRows` point into.
    public func breakdown(by column: DatasetColumn, in dataset: Dataset) throws -> CorrectnessBreakdown {
        try CorrectnessBreakdown(column: column.rawValue, values: clipValues(column, in: dataset),
                                 labels: labels, predictions: predictions)
    }

    /// One CSV row per example (path, speaker, gender, …, true, predicted, probabilities) from the
    /// clip table the examples came from.
    public func predictionsCSV(in dataset: Dataset) throws -> String {
        try checkRows(in: dataset)
        let clips = try dataset.subset(metadataRows)
        guard clips.labels == labels else {
            throw TrainError("the examples' labels differ from their clips' labels in the clip table; wrong table or rows?")
        }
        return try EngineTrain.predictionsCSV(clips, predictions: predictions, probabilities: probabilities)
    }

    private func clipValues(_ column: DatasetColumn, in dataset: Dataset) throws -> [String] {
        try checkRows(in: dataset)
        return metadataRows.map { dataset.value(column, at: $0) }
    }

    private func checkRows(in dataset: Dataset) throws {
        if let bad = metadataRows.first(where: { $0 < 0 || $0 >= dataset.count }) {
            throw TrainError("metadata row \(bad) is outside the clip table of \(dataset.count) clips")
        }
    }
}

/// Evaluates `model` on `data` in eval mode without a graph, in batches: loss (`loss`,
/// cross-entropy by default), accuracy, predictions, probabilities and the classification report.
/// `classNames` defaults to "0", "1", … for as many classes as the model outputs. The model's
/// train/eval mode is restored afterwards.
public func evaluate(_ model: Module, on data: TensorDataset, classNames: [String]? = nil, batchSize: Int = 64,
                     loss: @escaping LossFunction = crossEntropyLoss) throws -> Evaluation {
    let pass = try InferencePass(model: model, data: data, batchSize: batchSize, loss: loss, keepProbabilities: true)
    let names = classNames ?? (0..<pass.classes).map(String.init)
    guard names.count == pass.classes else {
        throw TrainError("\(names.count) class names for a model with \(pass.classes) outputs")
    }
    let probabilities = (0..<data.count).map { Array(pass.probabilities[($0 * pass.classes)..<(($0 + 1) * pass.classes)]) }
    let report = try ClassificationReport(labels: data.labels, predictions: pass.predictions, classNames: names,
                                          probabilities: probabilities)
    return Evaluation(loss: pass.meanLoss, accuracy: pass.accuracy, labels: data.labels, predictions: pass.predictions,
                      probabilities: probabilities, metadataRows: data.metadataRows, report: report)
}
