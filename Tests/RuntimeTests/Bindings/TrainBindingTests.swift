import Engine
import Foundation
import Runtime
import XCTest

final class TrainBindingTests: XCTestCase {
    func testATinyMLPLearnsASeparableFeatureSet() throws {
        let run = try BindingRun()
        let output = run.run(separableBlobs() + """
            seed(7)
            let model = seq(linear(4, 16), relu(), linear(16, 2))
            let opt = sgd(model, lr: 0.05, momentum: 0.9)
            let history = fit(model, fs, optimizer: opt, epochs: 4, batch_size: 16, progress: "lines", seed: 1)
            let result = evaluate(model, fs)
            print("accuracy {result.accuracy}")
            print(history.epochs, history.stop_reason, len(history.train_loss))
            print(history.train_loss[0] > history.train_loss[-1])
            """)
        let accuracy = try XCTUnwrap(output.split(separator: "\n").first { $0.hasPrefix("accuracy ") }.flatMap { Double($0.dropFirst(9)) })
        XCTAssertGreaterThanOrEqual(accuracy, 0.95, output)
        XCTAssertTrue(output.contains("Epoch 4/4  train loss"), output)
        XCTAssertTrue(output.contains("4 completed 4\ntrue\n"), output)
        let csv = try String(contentsOf: run.folder.appendingPathComponent("history.csv"), encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 5, csv)
    }

    func testDropLastSkipsTheShortFinalBatch() throws {
        // 10 rows in batches of 4 without shuffling: drop_last trains on rows 0-7 only, exactly as
        // training on those 8 rows; without it the last 2 rows make a third batch.
        let run = try BindingRun()
        let output = run.run(separableBlobs(n: 10) + """
            fn trained(data, drop) {
                seed(3)
                let model = seq(linear(4, 2))
                fit(model, data, optimizer: sgd(model, lr: 0.1), epochs: 2, batch_size: 4, shuffle: false,
                    progress: "silent", seed: 1, checkpoint: false, drop_last: drop)
                return model.parameters()[0].tolist()
            }
            let first8 = fs.subset(list(range(8)))
            print(trained(fs, true) == trained(first8, false), trained(fs, false) == trained(first8, false))
            """)
        XCTAssertEqual(output, "true false\n", output)
    }

    func testAnUntrainedModelDoesNotPassTheLearningBar() throws {
        // The learning test above can fail: the same model without training sits near chance.
        let run = try BindingRun()
        let output = run.run(separableBlobs() + """
            seed(7)
            print(evaluate(seq(linear(4, 16), relu(), linear(16, 2)), fs).accuracy < 0.95)
            """)
        XCTAssertEqual(output, "true\n")
    }

    func testTheHandWrittenLoopReducesTheLoss() throws {
        let run = try BindingRun()
        let output = run.run(separableBlobs() + """
            let model = seq(linear(4, 8), tanh(), linear(8, 2))
            let opt = adam(model, lr: 0.05)
            let loss_fn = cross_entropy(label_smoothing: 0.05)
            let first = loss_fn(model(fs.inputs), fs.labels).item()
            for step in range(30) {
                opt.zero_grad()
                let loss = loss_fn(model(fs.inputs), fs.labels)
                loss.backward()
                opt.step()
            }
            let last = no_grad(fn() = loss_fn(model(fs.inputs), fs.labels))
            print(last.item() < first / 2, last.requires_grad, model.parameters()[0].grad.shape)
            """)
        XCTAssertEqual(output, "true false [8, 4]\n")
    }

    func testSaveAndLoadRoundTripGivesIdenticalPredictions() throws {
        let run = try BindingRun()
        let output = run.run(separableBlobs() + """
            let model = seq(linear(4, 16), relu(), linear(16, 2))
            let opt = adam(model, lr: 0.01)
            fit(model, fs, optimizer: opt, epochs: 2, batch_size: 32, progress: "silent")
            let path = save(model, "models/mlp.safetensors", optimizer: opt, epoch: 2, classes: fs.classes)
            let copy = seq(linear(4, 16), relu(), linear(16, 2))
            print(predict(copy, fs).logits.tolist() == predict(model, fs).logits.tolist())
            let info = load_checkpoint(copy, "models/mlp.safetensors", optimizer: adam(copy))
            print(info.epoch, info.classes)
            print(predict(copy, fs).logits.tolist() == predict(model, fs).logits.tolist())
            load_weights(copy, path)
            print(predict(copy, fs.inputs).classes == predict(model, fs.inputs).classes)
            """)
        XCTAssertEqual(output, "false\n2 [\"calm\", \"angry\"]\ntrue\ntrue\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("models/mlp.safetensors").path))
    }

    func testLoadingWeightsOfTheWrongShapeNamesEveryTensor() throws {
        let run = try BindingRun()
        run.run("save(seq(linear(4, 16), relu(), linear(16, 2)), \"m.safetensors\")")
        let report = run.failure("""
            let other = seq(linear(4, 8), relu(), linear(8, 2), linear(2, 2))
            load_checkpoint(other, "m.safetensors")
            """)
        for name in ["0.weight: model [8, 4] vs state dict [16, 4]", "0.bias", "2.weight", "missing keys: 3.weight, 3.bias"] {
            XCTAssertTrue(report.contains(name), "\(name) not in: \(report)")
        }
        XCTAssertTrue(report.hasPrefix("test.sers:2:1: error: "), report)
    }

    func testResumingContinuesTheHistoryOfACheckpoint() throws {
        let run = try BindingRun()
        let output = run.run(separableBlobs() + """
            seed(3)
            let a = seq(linear(4, 8), relu(), linear(8, 2))
            let h2 = fit(a, fs, val: fs, optimizer: sgd(a, lr: 0.05), epochs: 2, checkpoint: "ck.safetensors", progress: "silent", seed: 5)
            seed(3)
            let b = seq(linear(4, 8), relu(), linear(8, 2))
            let h4 = fit(b, fs, val: fs, optimizer: sgd(b, lr: 0.05), epochs: 4, resume: "ck.safetensors", progress: "silent", seed: 5)
            print(h4.epochs, h4.train_loss[0:2] == h2.train_loss)
            seed(3)
            let c = seq(linear(4, 8), relu(), linear(8, 2))
            let straight = fit(c, fs, val: fs, optimizer: sgd(c, lr: 0.05), epochs: 4, progress: "silent", seed: 5)
            print(predict(b, fs).logits.tolist() == predict(c, fs).logits.tolist())
            """)
        XCTAssertEqual(output, "4 true\ntrue\n")
    }

    func testEarlyStoppingSchedulesAndOptionsReachTheEngine() throws {
        let run = try BindingRun()
        let output = run.run(separableBlobs() + """
            let model = seq(linear(4, 8), relu(), linear(8, 2))
            let opt = sgd(model, lr: 0.0, momentum: 0.5)
            let h = fit(model, fs, val: fs, optimizer: opt, epochs: 20, early_stopping: {patience: 2, monitor: "val_loss"},
                        restore_best: true, clip_grad: 1.0, schedule: step_lr(opt, 1, gamma: 0.5), progress: "silent")
            print(h.stop_reason, h.epochs, h.best_epoch)
            let opt2 = sgd(model, lr: 0.1)
            let sched = cosine_lr(opt2, 4)
            fit(model, fs, optimizer: opt2, epochs: 4, schedule: sched, progress: "silent", loss: cross_entropy(weight: [1.0, 2.0]))
            print(round(sched.lr, 6), round(opt2.lr, 6))
            """)
        // A zero learning rate never improves after epoch 1: stop after 1 + patience epochs.
        XCTAssertEqual(output, "stopped_early 3 1\n0.0 0.0\n")
        XCTAssertTrue(run.failure(separableBlobs() + "fit(seq(linear(4, 2)), fs, early_stopping: {patiense: 2})").contains("patiense"))
        XCTAssertTrue(run.failure(separableBlobs() + "fit(seq(linear(4, 2)), fs, monitor: \"val_acc\")").contains("validation"))
    }

    func testAPendingCtrlCStopsTheScriptAtItsNextBuiltinCall() throws {
        // Ctrl-C *during* fit (stop after the batch, the script goes on) is FitInterruptTests'; one
        // pressed before a call stops the script there, with the call's location.
        let run = try BindingRun()
        run.run(separableBlobs() + "let model = seq(linear(4, 8), relu(), linear(8, 2))\n")
        Interrupt.request()     // what the REPL's SIGINT handler does; the Engine sees the same flag
        XCTAssertTrue(Interruption.isRequested)
        let message = run.failure("""
            let h = fit(model, fs, epochs: 3, batch_size: 50, progress: "lines")
            """)
        XCTAssertTrue(message.contains(":1:9: error: interrupted"), message)
        XCTAssertFalse(Interrupt.isRequested, "the request is consumed by stopping")
    }

    func testAPrintedEvaluationShowsOneLoss() throws {
        // The summary line's loss (cross-entropy from the logits) and not also the report's log loss.
        let run = try BindingRun()
        let output = run.run(separableBlobs() + """
            let model = seq(linear(4, 2))
            let r = evaluate(model, fs)
            print(r)
            """)
        XCTAssertEqual(output.components(separatedBy: "loss").count - 1, 1, output)
        XCTAssertTrue(output.contains("accuracy"), output)
    }

    func testPlotsAndTablesLandInTheRunFolder() throws {
        let run = try BindingRun()
        let output = run.run(separableBlobs() + """
            let model = seq(linear(4, 2))
            let h = fit(model, fs, val: fs, epochs: 2, progress: "silent")
            print(plot_history(h, file: "plots/loss.svg"), h.plot(file: "acc.svg", metric: "accuracy"))
            let r = evaluate(model, fs)
            print(plot_confusion(r))
            print(r.confusion, len(r.per_class), r.per_class[0].name, r.uar >= 0, r.macro_f1 >= 0)
            """)
        for file in ["plots/loss.svg", "acc.svg", "confusion.svg"] {
            let text = try String(contentsOf: run.folder.appendingPathComponent(file), encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("<svg") || text.hasPrefix("<?xml"), file)
        }
        XCTAssertTrue(output.contains("2 calm true true"), output)
        XCTAssertTrue(run.failure(separableBlobs() + "evaluate(seq(linear(4, 2)), fs).by(\"gender\")").contains("clip metadata"))
    }
}
