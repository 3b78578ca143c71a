import Engine
import XCTest

/// Parallel featurisation keeps order, equals the serial result, and reports the failing file.
final class AudioBatchTests: XCTestCase {
    func testParallelEqualsSerialAndNamesTheBadFile() throws {
        let names = ["speech48.wav", "chirp48.wav", "noise22.wav", "speech22.wav", "stereo44.wav"]
        let paths = names.map(LibrosaFixtures.path)
        let features = { (path: String) in try AudioSignal.load(path: path).mfcc() }
        let serial = try paths.map(features)
        let parallel = try AudioBatch.featurize(paths: paths, threads: 2, features)
        XCTAssertEqual(parallel, serial)
        let broken = paths + ["/nonexistent/clip.wav"]
        XCTAssertThrowsError(try AudioBatch.featurize(paths: broken, threads: 2, features)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/clip.wav"), "\(error)")
        }
    }
}
