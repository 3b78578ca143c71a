import Engine
import Foundation
@testable import Runtime
import XCTest

/// `cross_validate` and the new `fit` keywords from scripts.
final class CrossValidationBindingTests: XCTestCase {
    func testEmoBoxFoldsOnTheTinyCorpusWriteTablesPlotMetricsAndReport() throws {
        let corpus = try TinyCorpus.directory().path
        let run = try BindingRun()
        let output = run.run("""
            let ds = corpus("ravdess", "\(corpus)")
            fn recipe(train, test, seed) {
                print("recipe sees", len(train), len(test), seed, random())
                return {accuracy: len(test) / 40.0 + seed / 100.0, uar: 0.5, macro_f1: 0.25}
            }
            let cv = cross_validate(ds, recipe, folds: "emobox", seeds: [1, 2], name: "emobox")
            print(cv)
            print(cv.mean["accuracy"], len(cv.rows), cv.rows[1]["fold"])
            """)
        XCTAssertTrue(output.contains("note: fold 1 (01, 11, 20, 21): 11, 20, 21 not in the dataset"), output)
        XCTAssertTrue(output.contains("note: fold 3 (08, 09, 19, 23): no speaker in the dataset, skipped"), output)
        XCTAssertTrue(output.contains("note: 2 of 6 folds run"), output)
        let draws = output.split(separator: "\n").filter { $0.hasPrefix("recipe sees 20 20 ") }
        XCTAssertEqual(draws.count, 4, output)
        XCTAssertEqual(draws[0], draws[1], "each run starts from its seed")
        XCTAssertNotEqual(draws[1], draws[2], "another seed, another draw")
        // Two folds of 20 clips; accuracy 0.5 + seed/100 → mean 0.515, std over (0.51, 0.51, 0.52, 0.52) = 0.00577.
        XCTAssertTrue(output.contains("51.50 ± 0.58"), output)
        XCTAssertTrue(output.contains("0.515 4 fold 5 (02)"), output)
        let csv = try String(contentsOf: run.folder.appendingPathComponent("emobox.csv"), encoding: .utf8)
        XCTAssertTrue(csv.hasPrefix("fold,seed,accuracy,uar,macro_f1,test_clips,seconds\nfold 1 (01),1,0.51,0.5,0.25,20,"), csv)
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("emobox.md").path))
        let svg = try String(contentsOf: run.folder.appendingPathComponent("plots/emobox.svg"), encoding: .utf8)
        XCTAssertTrue(svg.contains("fold 5 (02)"))
        let metrics = try String(contentsOf: run.folder.appendingPathComponent("metrics.json"), encoding: .utf8)
        XCTAssertTrue(metrics.contains("\"emobox_accuracy_mean\""), metrics)
        try run.interpreter.output.finish(parameters: [:])
        let html = try String(contentsOf: run.folder.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<h2>Cross-validation: emobox</h2>"), html)
        XCTAssertTrue(html.contains("51.50 ± 0.58"))
    }

    func testKFoldRecipeThatTrainsAndEvaluates() throws {
        let corpus = try TinyCorpus.directory().path
        let run = try BindingRun()
        let output = run.run("""
            let ds = corpus("ravdess", "\(corpus)")
            let mel = logmel(n_fft: 1024, hop_length: 2048, n_mels: 16)
            let cv = cross_validate(ds, folds: kfold(2, seed: 3), seeds: [1], recipe: fn(train, test, seed) {
                let xtrain = features(load_audio(train, duration: 1.0), mel)
                let scaler = standard_scaler(xtrain)
                let model = seq(flatten(), linear(16 * 24, 3))
                fit(model, scaler.apply(xtrain), optimizer: adam(model, lr: 0.01), epochs: 30, batch_size: 8, progress: "silent", seed: seed)
                return evaluate(model, scaler.apply(features(load_audio(test, duration: 1.0), mel)))
            })
            print("mean accuracy", cv.mean["accuracy"])
            """)
        XCTAssertTrue(output.contains("stratified 2-fold (seed 3) — 2 folds × 1 seed = 2 runs"), output)
        let accuracy = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("mean accuracy ") }.flatMap { Double($0.dropFirst(14)) })
        XCTAssertGreaterThan(accuracy, 0.6, "well above chance (1/3): \(output)")
    }

    func testHoldoutDrawsAFreshStratifiedSplitPerSeed() throws {
        let corpus = try TinyCorpus.directory().path
        let run = try BindingRun()
        let output = run.run("""
            let ds = corpus("ravdess", "\(corpus)")
            fn recipe(train, test, seed) {
                print("seed", seed, "test", test.paths)
                print("sizes", len(train), len(test), test.count("emotion"))
                return {accuracy: 0.5, uar: 0.5, macro_f1: 0.5}
            }
            let cv = cross_validate(ds, recipe, folds: holdout(test: 0.25), seeds: [1, 1, 2], name: "random")
            """)
        XCTAssertTrue(output.contains("stratified random hold-out of 25 % per seed — 1 fold × 2 seeds = 3 runs"), output)
        let tests = output.split(separator: "\n").filter { $0.hasPrefix("seed ") }.map { $0.split(separator: " ", maxSplits: 3)[3] }
        XCTAssertEqual(tests.count, 3, output)
        XCTAssertEqual(tests[0], tests[1], "the same seed holds out the same clips")
        XCTAssertNotEqual(tests[0], tests[2], "another seed, another hold-out")
        // 40 clips, 3 emotions (the tiny corpus): a quarter of each class held out.
        let sizes = output.split(separator: "\n").filter { $0.hasPrefix("sizes ") }
        XCTAssertEqual(Set(sizes).count, 1, output)
        XCTAssertTrue(sizes[0].hasPrefix("sizes 30 10 "), output)
        XCTAssertTrue(run.failure("holdout(test: 1.0)").contains("strictly between 0 and 1"))
    }

    func testBadFoldsAndRecipesAreClearErrors() throws {
        let corpus = try TinyCorpus.directory().path
        let run = try BindingRun()
        run.run("let ds = corpus(\"ravdess\", \"\(corpus)\")")
        XCTAssertTrue(run.failure("cross_validate(ds, fn(a, b, s) = 1, folds: \"emo\")").contains("folds must be"))
        XCTAssertTrue(run.failure("cross_validate(ds, fn(a, b, s) = 1, folds: \"loso\")").contains("must return an EvalResult"))
        XCTAssertTrue(run.failure("cross_validate(ds, fn(a, b, s) = 1, folds: [[\"30\"]])").contains("none of the speakers"))
        XCTAssertTrue(run.failure("cross_validate(ds, fn(a, b, s) = 1, folds: group_kfold(5))").contains("2 speakers"))
    }

    func testFitKeywordsForSchedulesMixupAndAveraging() throws {
        let run = try BindingRun()
        let output = run.run(separableBlobs(n: 64) + """
            let model = seq(linear(4, 8), relu(), linear(8, 2))
            let opt = sgd(model, lr: 0.1)
            let sched = one_cycle(opt, max_lr: 0.1)
            # one_cycle over 3 × 4 steps: step 4 is in the descent from step 2.6 to 11
            let sched_lr_at_4 = 0.1 / 25 / 10000 + (0.1 - 0.1 / 25 / 10000) / 2 * (1 + cos(3.141592653589793 * 1.4 / 8.4))
            let h = fit(model, fs, optimizer: opt, schedule: sched, epochs: 3, batch_size: 16, progress: "silent", seed: 1, mixup: 0.2, ema: 0.9)
            print(abs(h.lr[0] - 0.004) < 1e-9, abs(h.lr[1] - sched_lr_at_4) < 1e-9, len(h.lr))
            let model2 = seq(linear(4, 8), relu(), linear(8, 2))
            let opt2 = adam(model2, lr: 0.01)
            let h2 = fit(model2, fs, optimizer: opt2, schedule: warmup_cosine(opt2, warmup: 4), epochs: 3, batch_size: 16, progress: "lines", seed: 1, swa: {start: 2, lr: 0.005})
            print(abs(h2.lr[0] - 0.0001) < 1e-9, h2.lr[1] == h2.lr[2], abs(h2.lr[2] - 0.005) < 1e-9)
            """)
        XCTAssertTrue(output.contains("true true 3\n"), output)
        XCTAssertTrue(output.contains("The model holds the SWA mean of epochs 2–3"), output)
        XCTAssertTrue(output.contains("true true true\n"), output)
        XCTAssertTrue(run.failure("fit(model, fs, ema: 0.9, swa: 2)").contains("exclude each other"))
        XCTAssertTrue(run.failure("fit(model, fs, swa: {begin: 2})").contains("no setting"))
        XCTAssertTrue(run.failure("fit(model, fs, mixup: -1)").contains("mixup alpha"))
        XCTAssertTrue(run.failure("warmup_cosine(opt, warmup: \"x\")").contains("step count"))
    }
}
