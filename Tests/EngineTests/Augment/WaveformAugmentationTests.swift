import Engine
import Foundation
import XCTest

/// Seeded waveform augmentations: exact SNRs, labels following their source, reproducibility.
final class WaveformAugmentationTests: XCTestCase {
    private let clips: [[Float]] = (0..<5).map { (c: Int) -> [Float] in
        let amplitude = 0.1 * Double(c + 1), step = 0.01 * Double(c + 3)
        return (0..<20_000).map { (i: Int) -> Float in Float(amplitude * sin(step * Double(i))) }
    }

    func testWhiteNoiseHitsTheDrawnSNRAndSharesItAcrossCopies() throws {
        let noise = try WhiteNoise(snrLow: 15, snrHigh: 30, seed: 11)
        let result = try noise.copies(of: clips, copies: 3)
        XCTAssertEqual(result.signals.count, 15)
        XCTAssertEqual(result.sources, [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
        var snrs = Set<Int>()
        for (i, noisy) in result.signals.enumerated() {
            let source = clips[result.sources[i]]
            let residual = zip(noisy, source).map { $0 - $1 }
            let achieved = Decibels.db(fromPower: Decibels.meanPower(source) / Decibels.meanPower(residual))
            let target = noise.snr(forClip: result.sources[i])
            XCTAssertTrue((15..<30).contains(target))
            XCTAssertEqual(achieved, Double(target), accuracy: 0.01, "copy \(i)")
            snrs.insert(target)
        }
        XCTAssertGreaterThan(snrs.count, 1, "SNR should vary between clips")
        XCTAssertNotEqual(result.signals[0], result.signals[1], "copies get independent noise")
    }

    func testCopiesCarryTheirSourceLabels() throws {
        let labels = ["sad", "angry", "calm", "happy", "fearful"]
        let result = try RandomGain(lowDB: -6, highDB: 6, seed: 2).copies(of: clips, copies: 2)
        XCTAssertEqual(try result.labels(from: labels),
                       ["sad", "sad", "angry", "angry", "calm", "calm", "happy", "happy", "fearful", "fearful"])
        XCTAssertThrowsError(try result.labels(from: ["too", "few"]))
    }

    func testEveryAugmentationIsReproducibleForASeedAndVariesAcrossSeeds() throws {
        func make(_ seed: UInt64) throws -> [any WaveformAugmentation] {
            [try WhiteNoise(seed: seed), try RandomGain(lowDB: -6, highDB: 6, seed: seed),
             try TimeShift(maxShift: 4000, seed: seed), try TanhDistortion(lowDrive: 1, highDrive: 5, seed: seed),
             try RoomReverb(lowRT60: 0.2, highRT60: 0.8, sampleRate: 16_000, seed: seed)]
        }
        for ((a, b), c) in zip(zip(try make(5), try make(5)), try make(6)) {
            let first = try a.copies(of: clips, copies: 2).signals
            XCTAssertEqual(first, try b.copies(of: clips, copies: 2).signals, "\(type(of: a))")
            XCTAssertNotEqual(first, try c.copies(of: clips, copies: 2).signals, "\(type(of: a))")
            XCTAssertTrue(first.allSatisfy { $0.count == 20_000 }, "\(type(of: a)) keeps the length")
        }
    }

    func testGainAndTimeShiftDoWhatTheySay() throws {
        let gained = try RandomGain(lowDB: 3, highDB: 4, seed: 1).apply(to: clips[2], clip: 0, copy: 0)
        let db = Decibels.db(fromAmplitude: Decibels.rms(gained) / Decibels.rms(clips[2]))
        XCTAssertTrue((3.0..<4.0).contains(db), "\(db) dB")
        let shift = try TimeShift(maxShift: 500, seed: 9)
        for copy in 0..<4 {
            let offset = shift.shift(clip: 1, copy: copy)
            let moved = try shift.apply(to: clips[1], clip: 1, copy: copy)
            XCTAssertTrue((-500...500).contains(offset))
            for i in [600, 5000, 19_000] { XCTAssertEqual(moved[i], clips[1][i - offset]) }
            if offset > 0 { XCTAssertEqual(moved[offset - 1], 0) }
            if offset < 0 { XCTAssertEqual(moved[20_000 + offset], 0) }
        }
    }

    func testTanhDistortionIsBoundedByFullScale() throws {
        let loud = clips[4].map { $0 * 2 }      // peaks at 1.0
        let distorted = try TanhDistortion(lowDrive: 2, highDrive: 8, seed: 3).apply(to: loud, clip: 0, copy: 0)
        XCTAssertLessThanOrEqual(Decibels.peak(distorted), 1.0001)
        XCTAssertGreaterThan(Decibels.rms(distorted), Decibels.rms(loud), "compression raises the RMS")
        for (x, y) in zip(loud, distorted) { XCTAssertTrue(x == 0 ? y == 0 : (x > 0) == (y > 0)) }
    }

    func testSyntheticRoomDecaysBySixtyDecibelsOverRT60() throws {
        let rate = 16_000, rt60 = 0.5
        let rir = try RoomImpulse.synthetic(rt60: rt60, sampleRate: rate, seed: 4)
        XCTAssertEqual(rir.count, 8000)
        XCTAssertEqual(Decibels.meanPower(rir) * Double(rir.count), 1, accuracy: 1e-4)   // unit energy
        // Energy in 50 ms windows around t = 0.1 s and t = 0.35 s: 0.25 s apart = 30 dB of decay.
        let early = Decibels.meanPower(Array(rir[1200..<2000])), late = Decibels.meanPower(Array(rir[5200..<6000]))
        XCTAssertEqual(Decibels.db(fromPower: early / late), 30, accuracy: 2.5)
        XCTAssertThrowsError(try RoomImpulse.synthetic(rt60: 0, sampleRate: rate, seed: 1))
    }

    func testUserImpulseResponseFileIsReadAndResampled() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rir-\(UUID().uuidString).wav").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let response: [Float] = (0..<2205).map { $0 == 0 ? 0.9 : Float(0.2 * exp(-Double($0) / 300)) }
        try SoundFile.write(path: path, samples: response, sampleRate: 22_050, format: .wavFloat)
        let loaded = try RoomImpulse.load(path: path, sampleRate: 44_100)
        XCTAssertEqual(loaded.count, 4410)
        let reverb = try RoomReverb(impulseResponses: [loaded], seed: 1)
        let wet = try reverb.apply(to: clips[0], clip: 0, copy: 0)
        XCTAssertEqual(Decibels.rms(wet), Decibels.rms(clips[0]), accuracy: 1e-6)
        XCTAssertThrowsError(try RoomImpulse.load(path: path + ".missing", sampleRate: 16_000)) {
            XCTAssertTrue("\($0)".contains(".missing"))
        }
    }
}
