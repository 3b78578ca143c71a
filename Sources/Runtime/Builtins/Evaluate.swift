import Engine

extension BuiltinRegistry {
    /// `evaluate`, `predict`, the EvalResult's metrics and tables, and the confusion-matrix plot.
    func registerEvaluate() {
        domain = "Evaluate"
        function("evaluate", [Parameter("model"), Parameter("data"), Parameter("batch_size", 64), Parameter("loss", nil)],
                 doc: "Runs `model` on `data` (a FeatureSet or `(inputs, labels)`) in eval mode without a graph and returns an EvalResult: loss (cross-entropy unless `loss:`), accuracy, UAR, macro F1, per-class precision/recall/F1, confusion matrix, predictions; `.by(\"gender\")` breaks correctness down by clip metadata. With a Bundle (from `load_model`), `data` is a labelled Dataset (a corpus) whose clips the bundle loads, featurises and scales itself.") { a in
            if case .object(let object) = a["model"], let bundle = object as? BundleValue { return try Self.evaluateWithBundle(bundle, a) }
            let model = try a.module("model")
            let data = try LabelledData(a, "data")
            let loss = a.isNil("loss") ? crossEntropyLoss : try a.object("loss", as: LossValue.self, named: "loss").function
            let evaluation = try Engine.evaluate(model, on: data.dataset, classNames: data.classNames, batchSize: try a.int("batch_size"), loss: loss)
            return .object(EvalResultValue(evaluation, clips: data.clips))
        }
        function("predict", [Parameter("model"), Parameter("x"), Parameter("batch_size", 64)],
                 doc: "Runs `model` on inputs `x` (a tensor `(N, …)`, one notebook-shaped example, or a FeatureSet) in eval mode without a graph; returns {classes, probabilities, logits, attention} (attention weights for the attention models, else nil). With a Bundle (from `load_model`), `x` is a file path, a list of paths or an unscaled FeatureSet, and the result is {files, emotions, probabilities, classes}: class names, and a dict of class → probability per input.") { a in
            if case .object(let object) = a["model"], let bundle = object as? BundleValue { return try Self.predictWithBundle(bundle, a) }
            let model = try a.module("model")
            let input: Tensor
            if case .object(let object) = a["x"], let set = object as? FeatureSet { input = set.inputs } else { input = try a.tensor("x") }
            let prediction = try Engine.predict(model, input, batchSize: try a.int("batch_size"))
            return .dict(DictBox([("classes", .list(ListBox(prediction.classes.map { .int($0) }))),
                                  ("probabilities", .object(TensorValue(prediction.probabilities))),
                                  ("logits", .object(TensorValue(prediction.logits))),
                                  ("attention", prediction.attentionWeights.map { .object(TensorValue($0)) } ?? .null)]))
        }
        registerEvalResult()
        function("plot_confusion", [Parameter("result"), Parameter("file", "confusion.svg"), Parameter("title", "Confusion matrix")],
                 doc: "Writes an EvalResult's confusion matrix as an SVG heatmap into the run folder — true classes down, predicted across, each cell with its count and row percentage, coloured by row share; returns its path.") { a in
            let result = try a.object("result", as: EvalResultValue.self, named: "EvalResult (from evaluate)")
            let plot = ConfusionMatrixPlot(title: try a.string("title"), report: result.evaluation.report)
            return .string(try a.interpreter.output.save(plot: plot, file: try a.string("file")))
        }
        function("plot_breakdown", [Parameter("breakdown"), Parameter("file", nil), Parameter("title", nil)],
                 doc: "Draws a correctness breakdown (`result.by(\"intensity\")`, `result.by(\"gender\")`) as the notebooks' 2 × N heatmap — rows wrong / correct, one column per value, each cell with its count and share of the column — into the run folder (default `<column>_correctness.svg`); returns its path.") { a in
            let breakdown = try a.object("breakdown", as: BreakdownValue.self, named: "Breakdown (from result.by(column))").breakdown
            let column = breakdown.column
            let title = a.isNil("title") ? "Correctness by \(column)" : try a.string("title")
            let file = a.isNil("file") ? "\(column)_correctness.svg" : try a.string("file")
            return .string(try a.interpreter.output.save(plot: BreakdownHeatmapPlot(title: title, breakdown: breakdown), file: file))
        }
    }

    private func registerEvalResult() {
        let result = { (a: Arguments) throws -> EvalResultValue in try a.receiver(as: EvalResultValue.self) }
        let ints = { (values: [Int]) -> Value in .list(ListBox(values.map { .int($0) })) }
        property("EvalResult", "loss", doc: "Mean loss over the examples.") { a in .float(try result(a).evaluation.loss) }
        property("EvalResult", "accuracy", doc: "Fraction of examples predicted correctly.") { a in .float(try result(a).evaluation.accuracy) }
        property("EvalResult", "uar", doc: "Unweighted average recall: the mean recall over classes (sklearn's balanced accuracy).") { a in
            .float(try result(a).evaluation.report.unweightedAverageRecall)
        }
        property("EvalResult", "macro_f1", doc: "F1 averaged over classes with equal weight (sklearn `average='macro'`).") { a in
            .float(try result(a).evaluation.report.macroF1)
        }
        property("EvalResult", "predictions", doc: "The predicted class of every example, as a list of ints.") { a in ints(try result(a).evaluation.predictions) }
        property("EvalResult", "labels", doc: "The true class of every example, as a list of ints.") { a in ints(try result(a).evaluation.labels) }
        property("EvalResult", "classes", doc: "The class names in label order.") { a in
            .list(ListBox(try result(a).evaluation.report.classNames.map { .string($0) }))
        }
        property("EvalResult", "confusion", doc: "The confusion matrix as a list of rows: `confusion[true][predicted]` counts.") { a in
            .list(ListBox(try result(a).evaluation.report.confusion.map(ints)))
        }
        property("EvalResult", "per_class", doc: "One record per class: {name, precision, recall, f1, support}.") { a in
            .list(ListBox(try result(a).evaluation.report.perClass.map { scores in
                .dict(DictBox([("name", .string(scores.name)), ("precision", .float(scores.precision)), ("recall", .float(scores.recall)),
                               ("f1", .float(scores.f1)), ("support", .int(scores.support))]))
            }))
        }
        method("EvalResult", "by", [Parameter("column")],
               doc: "Correct and wrong predictions per value of a clip column (\"intensity\", \"gender\", \"speaker\", \"emotion\", \"corpus\", …), as the notebooks' tables.") { a in
            let value = try result(a)
            let column = try DatasetColumn.named(try a.string("column"))
            return .object(BreakdownValue(try value.evaluation.breakdown(by: column, in: try value.clipTable(for: "by(\"\(column.rawValue)\")"))))
        }
        method("EvalResult", "predictions_csv", [Parameter("file", "predictions.csv")],
               doc: "Writes one CSV row per example — the clip's path, speaker, gender, …, true and predicted class, probabilities — into the run folder; returns its path.") { a in
            let value = try result(a)
            let path = try RunPaths.output(try a.string("file"), a.interpreter)
            try Self.writeText(try value.evaluation.predictionsCSV(in: try value.clipTable(for: "predictions_csv")), to: path)
            return .string(path)
        }
        property("Breakdown", "rows", doc: "One record per value: {value, correct, wrong, accuracy}.") { a in
            .list(ListBox(try a.receiver(as: BreakdownValue.self).breakdown.rows.map { row in
                .dict(DictBox([("value", .string(row.value)), ("correct", .int(row.correct)), ("wrong", .int(row.wrong)),
                               ("accuracy", .float(row.accuracy))]))
            }))
        }
    }
}
