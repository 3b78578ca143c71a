import Engine
import Foundation
import XCTest

/// `NotebookData.prepare`: shapes, labels and rows of the copies, scaling fitted on train only,
/// log-mels equal to the audio front-end's, noise at the drawn SNR.
final class NotebookDataTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Ten 1.2 s tones at 16 kHz, two emotions alternating; shorter than offset + duration, so padded.
    private func toneDataset() throws -> Dataset {
        let clips = try (0..<10).map { index -> Clip in
            let path = folder.appendingPathComponent("clip\(index).wav").path
            let frequency = Float(200 + 40 * index)
            let samples = (0..<19_200).map { 0.3 * sin(2 * Float.pi * frequency * Float($0) / 16_000) }
            try SoundFile.write(path: path, samples: samples, sampleRate: 16_000, format: .wav16)
            return Clip(path: path, emotion: index.isMultiple(of: 2) ? .angry : .sad, speaker: "01", gender: .male, corpus: "test")
        }
        return try Dataset(clips: clips)
    }

    private func options(copies: Int) -> NotebookDataOptions {
        var options = NotebookDataOptions()
        options.sampleRate = 16_000
        options.offset = 0.2
        options.duration = 1.5
        options.mel = MelSpectrogramOptions(nFFT: 512, hopLength: 256, nMels: 32)
        options.augmentedCopies = copies
        return options
    }

    func testCopiesCarryTheirSourceRowAndLabelAndScalingIsFittedOnTrain() throws {
        let dataset = try toneDataset()
        let split = Split(train: [0, 1, 2, 3, 4, 5], validation: [6, 7], test: [8, 9])
        let data = try NotebookData.prepare(dataset, split: split, options: options(copies: 2))
        let frames = 1 + 24_000 / 256
        XCTAssertEqual(data.train.features.shape, [18, 1, 32, frames])
        XCTAssertEqual(data.validation.features.shape, [2, 1, 32, frames])
        XCTAssertEqual(data.test.features.shape, [2, 1, 32, frames])
        XCTAssertEqual(data.train.metadataRows, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5])
        XCTAssertEqual(data.train.labels, data.train.metadataRows.map { dataset.labels[$0] })
        XCTAssertEqual(data.test.metadataRows, [8, 9])
        XCTAssertEqual(data.test.labels, [dataset.labels[8], dataset.labels[9]])

        // Per position, the scaled training values have mean 0 and (where not constant) std 1.
        let size = 32 * frames
        let values = data.train.features.values
        for position in stride(from: 0, to: size, by: 97) {
            let column = (0..<18).map { Double(values[$0 * size + position]) }
            let mean = column.reduce(0, +) / 18
            let std = (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 18).squareRoot()
            XCTAssertEqual(mean, 0, accuracy: 1e-4)
            if data.scaler.scale[position] != 1 { XCTAssertEqual(std, 1, accuracy: 1e-3) }
        }
    }

    func testCleanExamplesAreTheFrontEndsScaledLogMelAndCopiesAreNoisy() throws {
        let dataset = try toneDataset()
        let settings = options(copies: 1)
        let data = try NotebookData.prepare(dataset, split: Split(train: [0, 1, 2], validation: [3], test: [4]), options: settings)
        let size = data.train.sampleShape.reduce(1, *)

        let clip = try AudioSignal.load(path: dataset.clips[4].path, sampleRate: 16_000, offset: 0.2, duration: 1.5).fixedLength(24_000)
        let logMel = try clip.melspectrogram(settings.mel).powerToDb(ref: .max)
        let expected = try data.scaler.transform(StoredTensor(shape: logMel.shape, values: logMel.values)).values
        XCTAssertEqual(data.test.features.values, expected)

        // Clip 0's copy: its own noise at the drawn SNR, so it differs from the clean example.
        let clean = Array(data.train.features.values[0..<size]), noisy = Array(data.train.features.values[size..<(2 * size)])
        let difference = zip(clean, noisy).map { abs($0 - $1) }.max() ?? 0
        XCTAssertGreaterThan(difference, 0.1)
        let source = try AudioSignal.load(path: dataset.clips[0].path, sampleRate: 16_000, offset: 0.2, duration: 1.5).fixedLength(24_000)
        let noise = try WhiteNoise(snrLow: 15, snrHigh: 30, seed: settings.seed)
        let copy = try noise.apply(to: source.samples, clip: 0, copy: 0)
        let residual = zip(copy, source.samples).map { $0 - $1 }
        let snr = Decibels.db(fromPower: Decibels.meanPower(source.samples) / Decibels.meanPower(residual))
        XCTAssertEqual(snr, Double(noise.snr(forClip: 0)), accuracy: 0.01)
        let copyMel = try AudioSignal(samples: copy, sampleRate: 16_000).melspectrogram(settings.mel).powerToDb(ref: .max)
        XCTAssertEqual(noisy, try data.scaler.transform(StoredTensor(shape: copyMel.shape, values: copyMel.values)).values)
    }

    func testAnEmptySplitPartOrAMissingFileIsNamed() throws {
        let dataset = try toneDataset()
        XCTAssertThrowsError(try NotebookData.prepare(dataset, split: Split(train: [0, 1], validation: [], test: [2]),
                                                      options: options(copies: 0))) { error in
            XCTAssertTrue("\(error)".contains("no clips"), "\(error)")
        }
        try FileManager.default.removeItem(atPath: dataset.clips[1].path)
        XCTAssertThrowsError(try NotebookData.prepare(dataset, split: Split(train: [0, 1], validation: [2], test: [3]),
                                                      options: options(copies: 0))) { error in
            XCTAssertTrue("\(error)".contains("clip1.wav"), "\(error)")
        }
    }
}
