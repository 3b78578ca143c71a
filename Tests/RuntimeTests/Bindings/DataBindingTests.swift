import Engine
import Foundation
@testable import Runtime
import XCTest

/// The data bindings end to end on a tiny generated corpus: corpus → split → load → augment →
/// features → scaler, with the Engine computing the same thing independently where it can.
final class DataBindingTests: XCTestCase {
    private func run(_ script: String, out: URL) throws -> (output: String, interpreter: Interpreter) {
        let interpreter = Interpreter(output: RunOutput(scriptName: "test", directory: out.appendingPathComponent("run").path))
        let outcome = ScriptHarness.run(script, interpreter: interpreter)
        if let error = outcome.error { throw error }
        return (outcome.output, interpreter)
    }

    private func featureSet(_ interpreter: Interpreter, _ name: String) throws -> FeatureSet {
        var set: FeatureSet?
        if case .object(let object)? = interpreter.global(name) { set = object as? FeatureSet }
        return try XCTUnwrap(set, "the script made no FeatureSet \(name)")   // a regression fails, never skips
    }

    func testCorpusSplitLoadAugmentFeaturesScale() throws {
        let corpus = try TinyCorpus.directory().path, out = try TinyCorpus.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let (output, interpreter) = try run("""
        let ds = corpus("ravdess", "\(corpus)")
        print(ds.count("emotion"))
        let (train, val, test) = ds.split([0.8, 0.1, 0.1], stratify: "emotion", seed: 42)
        print(len(train), len(val), len(test))
        let clips = load_audio(train, sr: 48000, offset: 0.5, duration: 3.0)
        let aug = clips.augment(awgn(snr: [15, 30], copies: 2, seed: 9))
        let mel = logmel(sr: 48000, n_fft: 1024, win_length: 512, window: "hamming", hop_length: 256, n_mels: 128, fmax: 24000)
        let x = features(aug, mel)
        let xs = standard_scaler(x).apply(x)
        print(x.shape)
        """, out: out)
        XCTAssertTrue(output.contains(#"{"neutral": 8, "sad": 16, "angry": 16}"#), output)
        // Per class ⌊0.8 m⌋ / ⌊0.9 m⌋ − ⌊0.8 m⌋ / rest: neutral 8 → 6/1/1, sad and angry 16 → 12/2/2.
        XCTAssertTrue(output.contains("30 5 5\n"), output)
        XCTAssertTrue(output.contains("[90, 1, 128, 563]"), output)
        let x = try featureSet(interpreter, "x"), scaled = try featureSet(interpreter, "xs")

        // Copies follow their source clip: rows 30 + 2i and 31 + 2i are copies of row i.
        let source = Array(x.labels[0..<30])
        XCTAssertEqual(Array(x.labels[30...]), source.flatMap { [$0, $0] })
        XCTAssertEqual(x.clips?.clips[30].path, x.clips?.clips[0].path)

        // Row 0 is exactly the Engine's notebook log-mel of the first training clip.
        let path = try XCTUnwrap(x.clips?.clips[0].path)
        let expected = try AudioSignal.load(path: path, sampleRate: 48000, offset: 0.5, duration: 3).fixedLength(144_000)
            .melspectrogram(.notebook).powerToDb(ref: .max)
        let row0 = Array(x.inputs.values[0..<(128 * 563)])
        XCTAssertEqual(row0, expected.values)
        // A noisy copy differs from its source but keeps the shape.
        XCTAssertNotEqual(Array(x.inputs.values[30 * 128 * 563..<31 * 128 * 563]), row0)

        // Per-position scaling: every position has mean 0 and population std 1 over the rows.
        let values = scaled.inputs.values, size = 128 * 563
        for position in stride(from: 0, to: size, by: 997) {
            let column = (0..<90).map { Double(values[$0 * size + position]) }
            let mean = column.reduce(0, +) / 90
            let std = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 90).squareRoot()
            XCTAssertEqual(mean, 0, accuracy: 1e-4)
            XCTAssertTrue(abs(std - 1) < 1e-3 || std == 0, "position \(position): std \(std)")
        }
    }

    func testSecondRunReadsTheFeatureCacheAndChangedParametersRecompute() throws {
        let corpus = try TinyCorpus.directory().path, out = try TinyCorpus.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let script = { (hop: Int, cache: String) in """
            let clips = load_audio(corpus("ravdess", "\(corpus)").filter(emotion: "angry"), duration: 1.0)
            let x = features(clips.augment(gain(db: [-3, 3], copies: 1, seed: 4)), logmel(n_fft: 512, hop_length: \(hop)), cache: \(cache))
            """ }
        // The default writes only what is costly to recompute: a 1 s log-mel is not.
        // The policy times each clip, and a worker's first clip also pays its one-time set-up (FFT plan,
        // filterbank), so a few entries may be written; most must not be.
        let cheap = try run(script(256, "\"auto\""), out: out)
        XCTAssertTrue(cheap.output.contains("features: 32 clips (32 computed, 0 from cache"), cheap.output)
        let folder = FeatureCacheFolder(directory: out.appendingPathComponent(".cache/features").path)
        let written = folder.usage().entries
        XCTAssertLessThan(written, 8, cheap.output)
        XCTAssertEqual(cheap.output.contains("written to the cache"), written > 0, cheap.output)
        _ = folder.clear()  // the next runs start from an empty cache
        let first = try run(script(256, "true"), out: out)
        XCTAssertTrue(first.output.contains("features: 32 clips (32 computed, 0 from cache, 32 written to the cache)"), first.output)
        let second = try run(script(256, "true"), out: out)
        XCTAssertTrue(second.output.contains("features: 32 clips (0 computed, 32 from cache)"), second.output)
        XCTAssertEqual(try featureSet(first.interpreter, "x").inputs.values, try featureSet(second.interpreter, "x").inputs.values)
        XCTAssertEqual(try featureSet(cheap.interpreter, "x").inputs.values, try featureSet(second.interpreter, "x").inputs.values)
        let changed = try run(script(128, "true"), out: out)
        XCTAssertTrue(changed.output.contains("features: 32 clips (32 computed, 0 from cache, 32 written"), changed.output)
        XCTAssertEqual(folder.usage().entries, 64)
        XCTAssertThrowsError(try run(script(256, "\"sometimes\""), out: out)) { error in
            XCTAssertTrue("\(error)".contains("'cache' must be \"auto\", true or false, got \"sometimes\""), "\(error)")
        }
    }

    func testChunkedFeaturesAndSpecAugment() throws {
        let corpus = try TinyCorpus.directory().path, out = try TinyCorpus.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let (_, interpreter) = try run("""
        let clips = load_audio(corpus("ravdess", "\(corpus)").filter(speaker: "01", emotion: "sad"))
        let mel = logmel(n_fft: 1024, win_length: 512, window: "hamming", hop_length: 256, fmax: 24000)
        let chunked = features(clips, mel, chunk: 128, stride: 64, cache: false)
        let masked = features(clips, mel, cache: false).augment(spec_augment(freq_mask: 20, time_mask: 40, value: -80.0, seed: 1))
        """, out: out)
        let chunked = try featureSet(interpreter, "chunked"), masked = try featureSet(interpreter, "masked")
        XCTAssertEqual(chunked.inputs.shape, [8, 7, 1, 128, 128])
        XCTAssertEqual(masked.inputs.shape, [16, 1, 128, 563])
        XCTAssertEqual(masked.labels, Array(masked.labels[0..<8]) + Array(masked.labels[0..<8]))
        let size = 128 * 563, values = masked.inputs.values
        let originalMasked = values[0..<size].filter { $0 == -80 }.count
        let copyMasked = values[8 * size..<9 * size].filter { $0 == -80 }.count
        XCTAssertGreaterThan(copyMasked, originalMasked, "the copy has masked cells set to -80 dB")
        // Chunk 1 of clip 0 is frames 64..<192 of its log-mel.
        let full = try featureSet(try run("let f = features(load_audio(corpus(\"ravdess\", \"\(corpus)\").filter(speaker: \"01\", emotion: \"sad\")), logmel(n_fft: 1024, win_length: 512, window: \"hamming\", hop_length: 256, fmax: 24000), cache: false)", out: out).interpreter, "f")
        let bin = 5
        XCTAssertEqual(chunked.inputs.values[128 * 128 + bin * 128], full.inputs.values[bin * 563 + 64])
    }

    func testSpeakerSplitsAndFoldsNeverShareSpeakersOrClips() throws {
        let corpus = try TinyCorpus.directory().path, out = try TinyCorpus.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let (output, _) = try run("""
        fn set_of(xs) { let d = {}; for x in xs { d[x] = true }; return d.keys() }
        let ds = corpus("ravdess", "\(corpus)")
        let (train, val, test) = ds.speaker_split(val: 0, test: 1, seed: 3)
        print(len(train) + len(test) == len(ds), len(val))
        for s in test.speakers { assert(not (s in train.speakers)) }
        let folds = ds.kfold(4, seed: 1)
        let seen = []
        for (tr, te) in folds { assert(len(tr) + len(te) == len(ds)); seen.extend(te.paths) }
        print(len(seen) == len(set_of(seen)), len(folds))
        let loso = ds.loso()
        print(len(loso), loso[0][0])
        """, out: out)
        XCTAssertEqual(output, "true 0\ntrue 4\n2 RAVDESS/01\n")
    }

    func testSpectralBuiltinsPassLibrosaParametersToTheEngine() throws {
        let corpus = try TinyCorpus.directory(), out = try TinyCorpus.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let path = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: corpus.path).first { $0.hasSuffix(".wav") })
        let file = corpus.appendingPathComponent(path).path
        let (_, interpreter) = try run("""
        let y = load("\(file)", sr: 16000)
        let m = mfcc(y, n_mfcc: 13, n_fft: 512, hop_length: 160, n_mels: 40).tensor()
        let c = chroma_stft(y, n_fft: 1024).tensor()
        """, out: out)
        let signal = try AudioSignal.load(path: file, sampleRate: 16000)
        let mfcc = try signal.mfcc(MFCCOptions(nMFCC: 13, mel: MelSpectrogramOptions(nFFT: 512, hopLength: 160, nMels: 40)))
        let chroma = try signal.chroma(ChromaOptions(stft: STFTOptions(nFFT: 1024, hopLength: 512)))
        guard case .object(let m)? = interpreter.global("m"), let mt = m as? TensorValue,
              case .object(let c)? = interpreter.global("c"), let ct = c as? TensorValue else { return XCTFail("no tensors") }
        XCTAssertEqual(mt.tensor.shape, mfcc.shape)
        XCTAssertEqual(mt.tensor.values, mfcc.values)
        XCTAssertEqual(ct.tensor.values, chroma.values)
    }

    func testScriptSeedSeedsTheEngineGenerator() throws {
        let out = try TinyCorpus.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        _ = try run("seed(5)", out: out)
        XCTAssertEqual(RandomGenerator.global.nextUInt64(), RandomGenerator(seed: 5).nextUInt64())
    }

    func testErrorsNameTheScriptLocation() throws {
        let out = try TinyCorpus.scratch()
        defer { try? FileManager.default.removeItem(at: out) }
        let interpreter = Interpreter(output: RunOutput(scriptName: "test", directory: out.path))
        let missing = ScriptHarness.run("print(1)\nlet ds = corpus(\"ravdess\", \"\(out.path)/nowhere\")", interpreter: interpreter)
        XCTAssertTrue("\(missing.error.map { "\($0)" } ?? "")".contains("test.sers:2:10: error: \(out.path)/nowhere: no such folder"),
                      "\(String(describing: missing.error))")
        let keyword = ScriptHarness.run("let m = logmel(n_ffts: 1024)", interpreter: interpreter)
        let text = "\(keyword.error.map { "\($0)" } ?? "")"
        XCTAssertTrue(text.contains("test.sers:1:") && text.contains("did you mean 'n_fft'?"), text)
        let choice = ScriptHarness.run("let d = corpus(\"ravdess\", \".\", order: \"notebok\")", interpreter: interpreter)
        XCTAssertTrue("\(choice.error.map { "\($0)" } ?? "")".contains("did you mean 'notebook'?"), "\(String(describing: choice.error))")
    }
}
