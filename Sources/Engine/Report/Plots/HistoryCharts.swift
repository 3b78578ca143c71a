import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// The training history drawn as charts; here rather than beside `History` because plots belong to
/// the report layer, above training.
extension History {
    /// Training and validation loss per epoch.
    public var lossChart: LineChart { chart(title: "Loss", yLabel: "loss", train: \.trainLoss, validation: \.validationLoss) }

    /// Training and validation accuracy per epoch.
    public var accuracyChart: LineChart {
        chart(title: "Accuracy", yLabel: "accuracy", train: \.trainAccuracy, validation: \.validationAccuracy)
    }

    fileprivate func chart(title: String, yLabel: String, train: KeyPath<EpochRecord, Double>,
                       validation: KeyPath<EpochRecord, Double?>) -> LineChart {
        let x = epochs.map { Double($0.epoch) }
        var series = [LineSeries(name: "train", x: x, y: epochs.map { $0[keyPath: train] })]
        if epochs.contains(where: { $0[keyPath: validation] != nil }) {
            series.append(LineSeries(name: "validation", x: x, y: epochs.map { $0[keyPath: validation] ?? .nan }))
        }
        return LineChart(title: title, series: series, yLabel: yLabel)
    }
}
