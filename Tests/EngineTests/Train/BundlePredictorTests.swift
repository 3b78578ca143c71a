import Foundation
import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

/// Applying a bundle to recordings of any format, rate and channel count, bad files among them,
/// and sliding it over a long recording.
final class BundlePredictorTests: XCTestCase {
    /// The same sound as 16 kHz mono WAV, 44.1 kHz stereo FLAC and 44.1 kHz float WAV gets (nearly)
    /// the same answer: each is mixed to mono and resampled as the bundle says.
    func testStereoFLACAndOtherRatesAreMixedAndResampled() throws {
        let tree = try TemporaryTree()
        let predictor = try BundlePredictor(bundle: try BundleFixture.bundle())
        let mono16 = tree.path("tone16.wav"), stereo44 = tree.path("tone44.flac"), float44 = tree.path("tone44f.wav")
        try SoundFile.write(path: mono16, samples: BundleFixture.tone(seconds: 0.5, rate: 16000), sampleRate: 16000)
        let tone44 = BundleFixture.tone(seconds: 0.5, rate: 44100)
        // Left and right in opposite halves of the amplitude: their mean is the mono tone.
        try SoundFile.write(path: stereo44, samples: tone44.flatMap { [$0 * 1.5, $0 * 0.5] }, channels: 2, sampleRate: 44100, format: .flac16)
        try SoundFile.write(path: float44, samples: tone44, sampleRate: 44100, format: .wavFloat)
        let results = predictor.predict(paths: [mono16, stereo44, float44], threads: 2)
        let answers = try results.map { try $0.get() }
        XCTAssertEqual(answers.map(\.path), [mono16, stereo44, float44])
        for answer in answers {
            XCTAssertEqual(answer.probabilities.reduce(0, +), 1, accuracy: 1e-5)
            XCTAssertEqual(answer.emotion, answers[0].emotion)
            for (p, q) in zip(answer.probabilities, answers[0].probabilities) { XCTAssertEqual(p, q, accuracy: 0.02) }
        }
        // The single-file path and the batch agree (to rounding: a batch of 3 runs other BLAS kernels than one).
        assertClose(try predictor.predict(path: stereo44).probabilities, answers[1].probabilities)
        // The stereo file's input is the resampled mono mix, featurised and scaled.
        let direct = try predictor.input(from: try AudioSignal.load(path: stereo44, sampleRate: 16000, duration: 0.5).fixedLength(8000))
        assertClose(try predictor.probabilities([direct])[0], answers[1].probabilities)
    }

    func testUnreadableFilesFailAloneAndTheBatchGoesOn() throws {
        let tree = try TemporaryTree()
        let predictor = try BundlePredictor(bundle: try BundleFixture.bundle())
        let good = tree.path("good.wav")
        try SoundFile.write(path: good, samples: BundleFixture.tone(seconds: 0.7, rate: 22050), sampleRate: 22050)
        try tree.add("text.wav", contents: Data("not audio at all".utf8))
        try tree.add("empty.wav")
        let whole = try Data(contentsOf: URL(fileURLWithPath: good))
        try tree.add("truncated.wav", contents: whole.prefix(whole.count / 2))
        let paths = [tree.path("text.wav"), good, tree.path("empty.wav"), tree.path("missing.flac"), tree.path("truncated.wav")]
        let results = predictor.predict(paths: paths, threads: 2)
        XCTAssertEqual(results.count, 5)
        XCTAssertNoThrow(try results[1].get())
        for index in [0, 2, 3, 4] {
            XCTAssertThrowsError(try results[index].get()) { error in
                XCTAssertTrue("\(error)".contains((paths[index] as NSString).lastPathComponent), "\(error)")
            }
        }
    }

    /// A 2.3 s recording, 0.5 s windows every 0.25 s: windows start at 0, 0.25, …, 1.75 (8 of them),
    /// each one the answer for that stretch alone.
    func testTimelineWindowsCSVAndPlot() throws {
        let tree = try TemporaryTree()
        let predictor = try BundlePredictor(bundle: try BundleFixture.bundle())
        let path = tree.path("long.wav")
        var samples = BundleFixture.tone(seconds: 2.3, rate: 16000)
        for index in 16000..<24000 { samples[index] *= 0.05 }   // a quiet second
        try SoundFile.write(path: path, samples: samples, sampleRate: 16000, format: .wavFloat)
        let timeline = try predictor.timeline(path: path, window: 0.5, hop: 0.25)
        XCTAssertEqual(timeline.starts, [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75])
        XCTAssertEqual(timeline.probabilities.count, 8)
        XCTAssertTrue(timeline.probabilities.allSatisfy { $0.count == 3 && abs($0.reduce(0, +) - 1) < 1e-5 })
        let recording = try AudioSignal.load(path: path, sampleRate: 16000)
        let third = AudioSignal(samples: Array(recording.samples[8000..<16000]), sampleRate: 16000)
        assertClose(timeline.probabilities[2], try predictor.probabilities([try predictor.input(from: third)])[0])
        let lines = timeline.csv().split(separator: "\n")
        XCTAssertEqual(lines.count, 9)
        XCTAssertEqual(lines[0], "start,end,emotion,calm,sad,angry")
        XCTAssertTrue(lines[3].hasPrefix("0.5,1,"), String(lines[3]))
        let svg = try timeline.plot().svg()
        XCTAssertEqual(svg.components(separatedBy: "<polyline").count - 1, 3, "one curve per class")
        XCTAssertEqual(svg.components(separatedBy: "<polygon").count - 1, 1, "the waveform")
        for name in ["calm", "sad", "angry", "long.wav", "probability"] { XCTAssertTrue(svg.contains(name), name) }
        // Shorter than one window: one padded window.
        let short = tree.path("short.wav")
        try SoundFile.write(path: short, samples: BundleFixture.tone(seconds: 0.2, rate: 16000), sampleRate: 16000)
        XCTAssertEqual(try predictor.timeline(path: short, window: 0.5, hop: 0.25).starts, [0])
        XCTAssertThrowsMessage(try predictor.timeline(path: short, window: 0, hop: 1), contains: ["window and hop must be positive"])
    }

    func testPipelineJSONRoundTripsAndNamesFaults() throws {
        let chunked = FeaturePipeline(load: AudioLoadSpec(sampleRate: 48000, offset: 0.5, duration: 3, pad: true),
                                      recipe: .logmel(.notebook, ref: .value(1), topDb: nil), chunking: (128, 64))
        let mfcc = FeaturePipeline(load: AudioLoadSpec(sampleRate: 22050), recipe: .mfccMean(MFCCOptions(nMFCC: 40, lifter: 2)))
        for pipeline in [chunked, mfcc, BundleFixture.pipeline] {
            let read = try FeaturePipeline(json: try JSONValue.parse(pipeline.json.encoded()))
            XCTAssertEqual(read.json, pipeline.json)
            XCTAssertEqual(read.chunking?.width, pipeline.chunking?.width)
        }
        guard case .object(var members) = chunked.json, case .object(var load) = members["load"] else { return XCTFail() }
        load["sr"] = nil
        members["load"] = .object(load)
        XCTAssertThrowsMessage(try FeaturePipeline(json: .object(members)), contains: ["features.load", "missing 'sr'"])
        load["sr"] = 16000
        load["channels"] = "left"
        members["load"] = .object(load)
        XCTAssertThrowsMessage(try FeaturePipeline(json: .object(members)), contains: ["channels 'left'"])
    }

    private func assertClose(_ actual: [Float], _ expected: [Float], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (a, e) in zip(actual, expected) { XCTAssertEqual(a, e, accuracy: 1e-6, file: file, line: line) }
    }
}
