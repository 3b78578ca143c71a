import EngineTensor
import EngineNN
import EngineAudio
import EngineData
import EngineTrain

/// Cross-validation scores drawn as a chart; here because plots belong to the report layer, above training.
extension CrossValidationResult {
    /// One point per fold and seed for each metric, with each metric's mean as a dashed line.
    public var plot: FoldPlot {
        var folds: [String] = []
        for score in scores where !folds.contains(score.fold) { folds.append(score.fold) }
        return FoldPlot(title: "\(protocolName): per-fold scores", folds: folds,
                        series: FoldMetric.allCases.map { metric in
                            (metric.title, scores.map { (folds.firstIndex(of: $0.fold) ?? 0, metric.value(in: $0) * 100) }, mean(metric) * 100)
                        })
    }
}
