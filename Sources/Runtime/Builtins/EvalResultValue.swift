import Engine

/// What `evaluate` returns: loss, accuracy, UAR, macro F1, per-class scores, the confusion matrix,
/// per-example predictions, and (for FeatureSets made from clips) breakdowns by clip metadata.
public final class EvalResultValue: ScriptObject {
    public let evaluation: Evaluation
    /// The clip table aligned with the evaluated rows, when known.
    let clips: Dataset?

    init(_ evaluation: Evaluation, clips: Dataset?) {
        self.evaluation = evaluation
        self.clips = clips
    }

    public var typeName: String { "EvalResult" }
    public var summary: String {
        String(format: "EvalResult(%d examples, loss %.4f, accuracy %.2f%%, UAR %.2f%%)", evaluation.labels.count,
               evaluation.loss, evaluation.accuracy * 100, evaluation.report.unweightedAverageRecall * 100)
    }
    /// One loss only: the evaluation's (the `loss` of `evaluate`, cross-entropy unless given), not
    /// also the report's log loss, which is computed from clipped float32 probabilities and differs
    /// when the model is confidently wrong (it stays in `json()` as `log_loss`).
    public var details: String {
        [summary, evaluation.report.table(showingLogLoss: false), evaluation.report.confusionTable].joined(separator: "\n")
    }

    /// The clip table, or an error saying why breakdowns need one.
    func clipTable(for what: String) throws -> Dataset {
        guard let clips else {
            throw BuiltinError("\(what) needs clip metadata: evaluate a FeatureSet made from a dataset (features(...)), not bare tensors")
        }
        return clips
    }
}

/// A correct/wrong table per value of one clip column (the notebooks' intensity and gender tables).
public final class BreakdownValue: ScriptObject {
    public let breakdown: CorrectnessBreakdown
    init(_ breakdown: CorrectnessBreakdown) { self.breakdown = breakdown }
    public var typeName: String { "Breakdown" }
    public var summary: String { "Breakdown(by \(breakdown.column), \(breakdown.rows.count) values)" }
    public var details: String { breakdown.description }
}
