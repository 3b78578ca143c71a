import Engine
import XCTest

/// The notebooks' pipeline on the real RAVDESS files in ../shared/data/ravdess when present (skipped
/// otherwise). Some of those files are stereo and all carry an extra FLLR chunk.
final class RavdessTests: XCTestCase {
    private func wavFiles() throws -> [String] {
        let root = try SharedRAVDESS.root()
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw XCTSkip("cannot list \(root)") }
        let files = walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".wav") }.sorted().map { root + "/" + $0 }
        XCTAssertEqual(files.count, 60 * (try SharedRAVDESS.actors(in: root)).count, "60 clips per actor")
        return files
    }

    func testEveryClipGivesTheNotebookLogMelShape() throws {
        let files = try wavFiles()
        var stereo = 0
        for path in files {
            if try SoundFile.info(path: path).channels > 1 { stereo += 1 }
            let clip = try AudioSignal.load(path: path, sampleRate: 48000, offset: 0.5, duration: 3).fixedLength(144_000)
            let logMel = try clip.melspectrogram(.notebook).powerToDb(ref: .max)
            XCTAssertEqual(logMel.shape, [128, 563], path)
            XCTAssertEqual(logMel.values.max(), 0, path)
            XCTAssertEqual(try logMel.chunks(width: 128, stride: 64).count, 7, path)
        }
        print("RAVDESS: \(files.count) clips, \(stereo) stereo")
    }
}
