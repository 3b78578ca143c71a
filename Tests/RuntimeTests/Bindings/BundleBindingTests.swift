import Engine
import Foundation
import Runtime
import XCTest

/// `save(…, features:)`, `load_model`, `predict` on a Bundle, `predict_file`, `timeline`.
final class BundleBindingTests: XCTestCase {
    private static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples")

    /// Every example's model, built by the example's own `fn` definitions, saved as a bundle and
    /// rebuilt by `load_model` without them, gives the same logits.
    func testEveryExampleArchitectureRoundTripsThroughABundle() throws {
        let corpus = try TinyCorpus.directory().path
        let cases: [(file: String, make: String, shape: String)] = [
            ("parallel_cnn_transformer", "parallel_model", "[2, 1, 128, 563]"),
            ("parallel_cnn_attention_lstm", "parallel_model", "[2, 1, 128, 563]"),
            ("stacked_cnn_lstm", "hybrid_model", "[2, 7, 1, 128, 128]"),
            ("stacked_cnn_attention_lstm", "hybrid_model", "[2, 7, 1, 128, 128]"),
            ("savee_test", "hybrid_model", "[2, 7, 1, 128, 128]"),
            ("cnn_lstm", "cnn_lstm", "[2, 7, 1, 128, 128]"),
            ("combined_dataset_cnn", "cnn_lstm", "[2, 7, 1, 128, 128]"),
            ("mfcc_mlp", "dense_net", "[2, 40]"),
        ]
        for example in cases {
            let text = try String(contentsOf: Self.examples.appendingPathComponent(example.file + ".sers"), encoding: .utf8)
            let definitions = functions(named: [example.make, "conv_block", "block"], in: text)
            XCTAssertTrue(definitions.contains("fn \(example.make)("), "\(example.file) defines \(example.make)")
            let run = try BindingRun()
            let output = run.run(definitions + """
                let ds = corpus("ravdess", "\(corpus)")
                let fs = features(load_audio(ds, sr: 8000, offset: 0.0, duration: 0.25), logmel(n_fft: 256, hop_length: 128, n_mels: 8))

                let model = \(example.make)(len(fs.classes))
                model.eval()
                let x = randn(\(example.shape), seed: 3)
                let before = model(x).tolist()
                save(model, "\(example.file).safetensors", features: fs)
                let bundle = load_model("\(example.file).safetensors")
                print(bundle.model(x).tolist() == before, bundle.model.parameters_count == model.parameters_count, len(before[0]) == len(fs.classes))
                """)
            XCTAssertTrue(output.hasSuffix("true true true\n"), "\(example.file): \(output)")
        }
    }

    func testPredictOnABundleAnswersWithClassNames() throws {
        let corpus = try TinyCorpus.directory().path
        let run = try BindingRun()
        let output = run.run("""
            let ds = corpus("ravdess", "\(corpus)")
            fn clips(part) = load_audio(part, sr: 8000, offset: 0.0, duration: 0.5)
            let mel = logmel(n_fft: 256, hop_length: 128, n_mels: 8)
            let xtrain = features(clips(ds), mel)
            let scaler = standard_scaler(xtrain)
            let model = seq(flatten(), linear(8 * 32, len(xtrain.classes)))
            let r = evaluate(model, scaler.apply(xtrain))
            save(model, "m.safetensors", features: xtrain, scaler: scaler, metrics: {note: "test", accuracy: r.accuracy})
            let bundle = load_model("m.safetensors")
            let direct = predict(model, scaler.apply(xtrain))
            let answer = predict(bundle, xtrain)
            print(answer.emotions == map(fn(i) = xtrain.classes[i], direct.classes))
            print(abs(answer.probabilities[0][xtrain.classes[0]] - direct.probabilities.tolist()[0][0]) < 1e-6)
            let files = predict(bundle, ds.paths[0:3])
            print(files.files == ds.paths[0:3], files.emotions == answer.emotions[0:3])
            let one = predict_file(bundle, ds.paths[1])
            print(one.emotion == answer.emotions[1], len(one.probabilities) == len(xtrain.classes))
            print(bundle.metrics.note, bundle.metrics.accuracy == r.accuracy, bundle.classes == xtrain.classes)
            print(bundle.provenance.corpus.files == len(ds), bundle.features.load.sr, bundle.features.recipe.name)
            let t = timeline(bundle, ds.paths[0], window: 0.25, hop: 0.125)
            print(len(t.starts) == len(t.emotions), t.probabilities.shape[1] == len(t.classes))
            print(t.csv("t.csv"), t.plot("t.svg"))
            """)
        let lines = output.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("features: ") }
        XCTAssertEqual(Array(lines.prefix(7)), ["true", "true", "true true", "true true", "test true true", "true 8000 logmel", "true true"], output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.folder.appendingPathComponent("t.svg").path))
        XCTAssertTrue(try String(contentsOf: run.folder.appendingPathComponent("t.csv"), encoding: .utf8).hasPrefix("start,end,emotion,"))
    }

    func testSaveAndLoadRefuseWhatIsNotABundle() throws {
        let corpus = try TinyCorpus.directory().path
        let run = try BindingRun()
        run.run("""
            let ds = corpus("ravdess", "\(corpus)")
            let fs = features(load_audio(ds, sr: 8000, offset: 0.0, duration: 0.25), logmel(n_fft: 256, hop_length: 128, n_mels: 8))
            let scaler = standard_scaler(fs)
            let model = seq(flatten(), linear(8 * 16, len(fs.classes)))
            let opt = sgd(model, lr: 0.1)
            save(model, "plain.safetensors", classes: fs.classes)
            """)
        XCTAssertTrue(run.failure(#"save(model, "x.safetensors", scaler: scaler)"#).contains("'scaler' belongs in a model bundle"))
        XCTAssertTrue(run.failure(#"save(model, "x.safetensors", features: scaler.apply(fs))"#).contains("pass the fitted scaler as scaler:"))
        XCTAssertTrue(run.failure(#"save(model, "x.safetensors", features: feature_set(fs.inputs, fs.labels, classes: fs.classes))"#)
            .contains("not made by features"))
        XCTAssertTrue(run.failure(#"save(model, "x.safetensors", features: fs, optimizer: opt)"#).contains("holds no optimizer state"))
        XCTAssertTrue(run.failure(#"save(model, "x.safetensors", features: fs, classes: ["a"])"#).contains("1 class names"))
        XCTAssertTrue(run.failure(#"save(model, "x.safetensors", features: fs, metrics: 3)"#).contains("'metrics' must be a dict"))
        XCTAssertTrue(run.failure(#"load_model("plain.safetensors")"#).contains("training checkpoint, not a model bundle"))
        run.run(#"save(model, "b.safetensors", features: fs, scaler: scaler)"#)
        let bundleFailure = run.failure(#"predict(load_model("b.safetensors"), scaler.apply(fs))"#)
        XCTAssertTrue(bundleFailure.contains("already scaled"), bundleFailure)
        XCTAssertTrue(run.failure(#"predict_file(load_model("b.safetensors"), "nowhere.wav")"#).contains("nowhere.wav"))
    }

    /// The script's top-level definitions of the functions `names`, each through the line that closes its brackets.
    private func functions(named names: [String], in text: String) -> String {
        var kept: [String] = [], depth = 0, inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !inside, names.contains(where: { line.hasPrefix("fn \($0)(") }) { inside = true }
            guard inside else { continue }
            kept.append(String(line))
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            for character in code {
                if "([{".contains(character) { depth += 1 } else if ")]}".contains(character) { depth -= 1 }
            }
            if depth == 0 { inside = false }
        }
        return kept.joined(separator: "\n") + "\n"
    }
}
