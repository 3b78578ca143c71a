import Engine
import Foundation

/// A way of cutting a dataset into folds, for `cross_validate(folds:)`: `kfold(5)`, `group_kfold(4)`,
/// `holdout(test: 0.1)`.
public final class FoldSchemeValue: ScriptObject {
    enum Scheme {
        case stratified(k: Int, seed: UInt64)
        case speakerGroups(k: Int, seed: UInt64)
        /// One stratified random split per run seed, `test` of every class held out.
        case holdout(test: Double)
    }
    let scheme: Scheme
    init(_ scheme: Scheme) { self.scheme = scheme }
    public var typeName: String { "FoldScheme" }
    public var summary: String {
        switch scheme {
        case .stratified(let k, let seed): return "kfold(\(k), seed: \(seed))"
        case .speakerGroups(let k, let seed): return "group_kfold(\(k), seed: \(seed))"
        case .holdout(let test): return "holdout(test: \(test))"
        }
    }
}

/// What `cross_validate` returns: every run's scores and their mean ± std.
public final class CrossValidationValue: ScriptObject {
    public let result: CrossValidationResult
    init(_ result: CrossValidationResult) { self.result = result }
    public var typeName: String { "CrossValidation" }
    public var summary: String {
        "CrossValidation(\(result.runsDescription), " + String(format: "accuracy %.2f ± %.2f %%)", result.mean(.accuracy) * 100,
                                                               result.standardDeviation(.accuracy) * 100)
    }
    public var details: String { result.table }
}

extension BuiltinRegistry {
    /// `cross_validate` and the fold schemes it takes.
    func registerCrossValidation() {
        domain = "Data"
        function("kfold", [Parameter("k", 5), Parameter("seed", nil)],
                 doc: "Stratified k-fold as a fold scheme for `cross_validate(folds:)`: each class's clips, permuted with `seed` (default: drawn from the script's generator), dealt round-robin to k folds.") { a in
            .object(FoldSchemeValue(.stratified(k: try a.int("k"), seed: try seedArgument(a))))
        }
        function("group_kfold", [Parameter("k"), Parameter("seed", nil)],
                 doc: "Speaker-grouped k-fold for `cross_validate(folds:)`: the speakers, permuted with `seed`, dealt round-robin into k groups, each group the test part once (eight actors and k = 4 is leave-two-actors-out).") { a in
            .object(FoldSchemeValue(.speakerGroups(k: try a.int("k"), seed: try seedArgument(a))))
        }
        function("holdout", [Parameter("test", 0.1)],
                 doc: "The random protocol as a fold scheme for `cross_validate(folds:)`: for every seed a fresh stratified split holding out `test` of each class (byte-identical clips kept together), so `seeds: [1, 2, 3]` gives three random hold-outs.") { a in
            let test = try a.double("test")
            guard test > 0, test < 1 else { throw BuiltinError("holdout: test must lie strictly between 0 and 1, got \(test)") }
            return .object(FoldSchemeValue(.holdout(test: test)))
        }
        function("cross_validate", [Parameter("dataset"), Parameter("recipe"), Parameter("folds"), Parameter("seeds", .list(ListBox([.int(1)]))),
                                    Parameter("name", "cv")],
                 doc: "Runs a recipe over folds × seeds: `cross_validate(ds, recipe, folds: \"emobox\", seeds: [1, 2, 3])` calls `recipe(train, test, seed)` with two Datasets and a seed; it runs with the script's generator seeded by `seed` (as `seed(s)` would), and returns an EvalResult (or a record with accuracy, uar, macro_f1). `folds`: \"emobox\" (EmoBox's six RAVDESS folds of four actors; folds without any actor present are skipped, with a note), \"loso\" (one fold per speaker), `kfold(5)`, `group_kfold(4)`, `holdout(test: 0.1)` (a random split per seed), or a list of speaker lists `[[\"01\", \"02\"], [\"03\", \"04\"]]`. Prints each run's scores and a table with mean ± std (sample) of accuracy, UAR and macro-F1; writes `<name>.csv`, `<name>.md` and `plots/<name>.svg` (one point per fold and seed) into the run folder, shows the table in its report and adds `<name>_accuracy_mean`, `…_std` (and uar, macro_f1) to metrics.json. Returns a CrossValidation value.") { a in
            try Self.crossValidate(a)
        }
        property("CrossValidation", "rows", doc: "One record per run: {fold, seed, accuracy, uar, macro_f1, test_clips, seconds}.") { a in
            .list(ListBox(try a.receiver(as: CrossValidationValue.self).result.scores.map { score in
                .dict(DictBox([("fold", .string(score.fold)), ("seed", .int(score.seed)), ("accuracy", .float(score.accuracy)),
                               ("uar", .float(score.uar)), ("macro_f1", .float(score.macroF1)),
                               ("test_clips", .int(score.testCount)), ("seconds", .float(score.seconds))]))
            }))
        }
        for (name, what, statistic) in [("mean", "means", { (r: CrossValidationResult, m: FoldMetric) in r.mean(m) }),
                                        ("std", "sample standard deviations", { (r: CrossValidationResult, m: FoldMetric) in r.standardDeviation(m) })] {
            property("CrossValidation", name, doc: "The \(what) over all runs: {accuracy, uar, macro_f1} as fractions.") { a in
                let result = try a.receiver(as: CrossValidationValue.self).result
                return .dict(DictBox(FoldMetric.allCases.map { ($0.rawValue, .float(statistic(result, $0))) }))
            }
        }
        method("CrossValidation", "csv", [], doc: "The runs and the mean/std rows as CSV text.") { a in
            .string(try a.receiver(as: CrossValidationValue.self).result.csv)
        }
        method("CrossValidation", "markdown", [], doc: "The table as Markdown (percentages, mean ± std in the last row).") { a in
            .string(try a.receiver(as: CrossValidationValue.self).result.markdown)
        }
    }

    private static func crossValidate(_ a: Arguments) throws -> Value {
        let dataset = try a.object("dataset", as: DatasetValue.self, named: "Dataset").dataset
        let (foldsForSeed, protocolName) = try resolveFolds(a, dataset: dataset)
        let seeds = try a.list("seeds").map { value -> Int in
            guard case .int(let seed) = value else { throw BuiltinError("cross_validate: seeds must be integers, got \(value.repr)") }
            return seed
        }
        guard !seeds.isEmpty else { throw BuiltinError("cross_validate: give at least one seed") }
        let name = try a.string("name")
        guard a["recipe"].typeName == "function" else { throw BuiltinError("cross_validate: recipe must be a function (train, test, seed), got \(a["recipe"].typeName)") }
        guard !name.isEmpty, !name.contains("/") else { throw BuiltinError("cross_validate: name must be a plain file name, got \"\(name)\"") }
        let interpreter = a.interpreter
        let resumeSeed = interpreter.random.next()   // the script goes on as if no run had drawn anything
        let runs = try seeds.flatMap { seed in try foldsForSeed(UInt64(bitPattern: Int64(seed))).map { (seed: seed, fold: $0) } }
        let runOne = { (index: Int) throws -> FoldScore in
            let (seed, fold) = runs[index]
            interpreter.write("── cross_validate: \(fold.name), seed \(seed) (train \(fold.train.count), test \(fold.test.count) clips)\n")
            interpreter.reseed(UInt64(bitPattern: Int64(seed)))
            let start = Date()
            let returned = try interpreter.call(a["recipe"], positional: [.object(DatasetValue(try dataset.subset(fold.train))),
                                                                  .object(DatasetValue(try dataset.subset(fold.test))), .int(seed)])
            var score = try foldScore(returned, fold: fold.name, seed: seed, testCount: fold.test.count)
            score.seconds = Date().timeIntervalSince(start)
            interpreter.write("   \(fold.name) seed \(seed): " + String(format: "accuracy %.2f %%, UAR %.2f %%, macro-F1 %.2f %% (%.1f s)\n",
                                                                   score.accuracy * 100, score.uar * 100, score.macroF1 * 100, score.seconds))
            return score
        }
        // Under mpirun the runs are spread over the ranks (each trains alone); otherwise one after another.
        let scores = Cluster.world.size > 1 ? try CrossValidationRanks.run(count: runs.count, runOne)
                                            : try runs.indices.map(runOne)
        interpreter.reseed(resumeSeed)
        let result = CrossValidationResult(protocolName: protocolName, scores: scores)
        interpreter.write(result.table + "\n")
        try save(result, name: name, interpreter)
        return .object(CrossValidationValue(result))
    }

    /// The folds `folds:` asks for, per run seed (only a hold-out changes with it), and the protocol
    /// in words; prints which named folds were skipped.
    private static func resolveFolds(_ a: Arguments, dataset: Dataset) throws -> ((UInt64) throws -> [Fold], String) {
        func fixed(_ folds: [Fold], _ name: String) -> ((UInt64) throws -> [Fold], String) { ({ _ in folds }, name) }
        switch a["folds"] {
        case .string("emobox"):
            let plan = try Splits.speakerFolds(dataset, groups: Splits.emoboxRAVDESS)
            reportPlan(plan, groups: Splits.emoboxRAVDESS, a.interpreter)
            return fixed(plan.folds, "EmoBox RAVDESS folds (speaker-independent)")
        case .string("loso"):
            return fixed(try Splits.leaveOneSpeakerOut(dataset), "leave-one-speaker-out")
        case .object(let object as FoldSchemeValue):
            switch object.scheme {
            case .stratified(let k, let seed):
                noteIdentical(dataset, a)
                return fixed(try Splits.kFold(dataset, k: k, seed: seed), "stratified \(k)-fold (seed \(seed))")
            case .speakerGroups(let k, let seed):
                return fixed(try Splits.groupKFold(dataset, k: k, seed: seed), "speaker-grouped \(k)-fold (seed \(seed))")
            case .holdout(let test):
                noteIdentical(dataset, a)
                return ({ seed in
                    let split = try Splits.stratified(dataset, train: 1 - test, validation: 0, seed: seed)
                    return [Fold(name: "holdout", train: split.train, test: split.test)]
                }, "stratified random hold-out of " + String(format: "%g", test * 100) + " % per seed")
            }
        default:
            guard let groups = a["folds"].elements, !groups.isEmpty else {
                throw BuiltinError("cross_validate: folds must be \"emobox\", \"loso\", kfold(k), group_kfold(k) or a list of speaker lists, got \(a["folds"].repr)")
            }
            let names = try groups.map { group -> [String] in
                guard let members = group.elements else {
                    throw BuiltinError("cross_validate: each fold must be a list of speakers, got \(group.repr)")
                }
                return try members.map { member in
                    if case .string(let name) = member { return name }
                    if case .int(let number) = member { return String(format: "%02d", number) }
                    throw BuiltinError("cross_validate: speakers must be names or numbers, got \(member.repr)")
                }
            }
            let plan = try Splits.speakerFolds(dataset, groups: names)
            reportPlan(plan, groups: names, a.interpreter)
            return fixed(plan.folds, "speaker folds")
        }
    }

    private static func reportPlan(_ plan: Splits.SpeakerFoldPlan, groups: [[String]], _ interpreter: Interpreter) {
        for (index, absent) in plan.absent.enumerated() where !absent.isEmpty {
            let skipped = plan.skipped.contains(index + 1)
            interpreter.write("note: fold \(index + 1) (\(groups[index].joined(separator: ", "))): "
                              + (skipped ? "no speaker in the dataset, skipped" : "\(absent.joined(separator: ", ")) not in the dataset") + "\n")
        }
        interpreter.write("note: \(plan.folds.count) of \(groups.count) folds run\n")
    }

    /// Scores from what the recipe returned: an EvalResult, or a record with accuracy, uar, macro_f1.
    private static func foldScore(_ value: Value, fold: String, seed: Int, testCount: Int) throws -> FoldScore {
        if case .object(let object as EvalResultValue) = value {
            let report = object.evaluation.report
            return FoldScore(fold: fold, seed: seed, accuracy: report.accuracy, uar: report.unweightedAverageRecall,
                             macroF1: report.macroF1, testCount: object.evaluation.labels.count, seconds: 0)
        }
        if case .dict(let record) = value {
            func number(_ key: String) throws -> Double {
                guard let x = record[.string(key)]?.asDouble else {
                    throw BuiltinError("cross_validate: the recipe returned a record without a number '\(key)' (give accuracy, uar, macro_f1)")
                }
                return x
            }
            return FoldScore(fold: fold, seed: seed, accuracy: try number("accuracy"), uar: try number("uar"),
                             macroF1: try number("macro_f1"), testCount: testCount, seconds: 0)
        }
        throw BuiltinError("cross_validate: the recipe must return an EvalResult (evaluate(...)) or a record {accuracy, uar, macro_f1}, got \(value.typeName)")
    }

    /// CSV, Markdown, plot, report table and summary metrics in the run folder.
    private static func save(_ result: CrossValidationResult, name: String, _ interpreter: Interpreter) throws {
        let folder = try interpreter.output.runFolder()
        try folder.save(text: result.csv, name: "\(name).csv")
        try folder.save(text: result.markdown, name: "\(name).md")
        _ = try interpreter.output.save(plot: result.plot, file: "plots/\(name).svg")
        folder.add(table: ReportTable(title: "Cross-validation: \(name)",
                                      note: "\(result.protocolName), \(result.runsDescription); mean ± sample standard deviation over all runs.",
                                      header: result.header, rows: result.rows + [result.summaryRow], files: ["\(name).csv", "\(name).md"]))
        var metrics: [(DictKey, Value)] = []
        for metric in FoldMetric.allCases {
            metrics.append((.string("\(name)_\(metric.rawValue)_mean"), .float(result.mean(metric))))
            metrics.append((.string("\(name)_\(metric.rawValue)_std"), .float(result.standardDeviation(metric))))
        }
        try interpreter.output.report(metrics)
    }
}
