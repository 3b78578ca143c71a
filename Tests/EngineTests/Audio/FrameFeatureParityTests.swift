import Engine
import XCTest

/// RMS, zero-crossing rate, spectral centroid, chroma and deltas against librosa.
final class FrameFeatureParityTests: XCTestCase {
    private func load(_ file: String) throws -> AudioSignal {
        try AudioSignal.load(path: LibrosaFixtures.path(file), sampleRate: nil)
    }

    private func assertClose(_ actual: FeatureMatrix, _ fixture: String, tolerance: Double, line: UInt = #line) throws {
        let expected = try LibrosaFixtures.matrix(fixture)
        XCTAssertEqual(actual.shape, expected.shape, fixture, line: line)
        guard actual.shape == expected.shape else { return }
        let error = maxAbsoluteError(actual.values, expected.values)
        XCTAssertLessThanOrEqual(error, tolerance, fixture, line: line)
    }

    func testRMS() throws {
        try assertClose(try load("speech48.wav").rms(), "speech48.rms", tolerance: 1e-6)
        try assertClose(try load("noise22.wav").rms(FrameOptions(frameLength: 1024, hopLength: 256)), "noise22.rms", tolerance: 1e-6)
    }

    func testZeroCrossingRate() throws {
        try assertClose(try load("speech48.wav").zeroCrossingRate(), "speech48.zcr", tolerance: 1e-7)
        try assertClose(try load("noise22.wav").zeroCrossingRate(FrameOptions(frameLength: 1024, hopLength: 256)),
                        "noise22.zcr", tolerance: 1e-7)
    }

    func testSpectralCentroid() throws {
        let centroid = try load("speech48.wav").spectralCentroid()
        let expected = try LibrosaFixtures.matrix("speech48.centroid")
        XCTAssertEqual(centroid.shape, expected.shape)
        XCTAssertLessThanOrEqual(maxRelativeError(centroid.values, expected.values), 1e-4)
    }

    func testChromaWithFixedAndEstimatedTuning() throws {
        let speech = try load("speech48.wav")
        try assertClose(try speech.chroma(ChromaOptions(tuning: 0)), "speech48.chroma_tuning0", tolerance: 1e-4)
        try assertClose(try speech.chroma(), "speech48.chroma", tolerance: 1e-4)
    }

    func testDeltas() throws {
        let mfcc = try LibrosaFixtures.matrix("speech22.mfcc40")
        try assertClose(try mfcc.delta(), "speech22.mfcc40_delta", tolerance: 1e-4)
        try assertClose(try mfcc.delta(order: 2), "speech22.mfcc40_delta2", tolerance: 1e-4)
        try assertClose(try mfcc.delta(width: 5), "speech22.mfcc40_delta_width5", tolerance: 1e-4)
        XCTAssertThrowsError(try mfcc.delta(width: 4))
        XCTAssertThrowsError(try mfcc.columns(0..<5).delta(width: 9)) { XCTAssertTrue("\($0)".contains("frames")) }
    }

    func testChunksFollowTheNotebooks() throws {
        let matrix = try FeatureMatrix(rows: 2, columns: 563, values: (0..<1126).map { Float($0) })
        let chunks = try matrix.chunks(width: 128, stride: 64)
        XCTAssertEqual(chunks.count, 7)
        XCTAssertEqual(chunks[6].shape, [2, 128])
        XCTAssertEqual(chunks[6].values[0], 384)
        XCTAssertEqual(chunks[6].values[128], 563 + 384)
        XCTAssertEqual(try matrix.chunks(width: 600, stride: 64).count, 0)
        XCTAssertThrowsError(try matrix.chunks(width: 128, stride: 0))
    }
}
