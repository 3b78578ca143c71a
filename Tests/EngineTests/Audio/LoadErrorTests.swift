import Engine
import XCTest

/// Bad files give an error that names the file and says what is wrong; never a crash.
final class LoadErrorTests: XCTestCase {
    private var scratch: [String] = []

    override func tearDown() {
        for path in scratch { try? FileManager.default.removeItem(atPath: path) }
    }

    private func file(_ name: String, bytes: Data) throws -> String {
        let path = NSTemporaryDirectory() + "serscript-\(UUID().uuidString)-\(name)"
        try bytes.write(to: URL(fileURLWithPath: path))
        scratch.append(path)
        return path
    }

    private func assertLoadFails(_ path: String, mentioning words: [String], line: UInt = #line) {
        XCTAssertThrowsError(try AudioSignal.load(path: path, sampleRate: nil), line: line) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(path), "message does not name the file: \(message)", line: line)
            for word in words { XCTAssertTrue(message.contains(word), "message lacks '\(word)': \(message)", line: line) }
        }
    }

    func testMissingFile() {
        assertLoadFails("/nonexistent/dir/clip.wav", mentioning: ["no such file"])
    }

    func testZeroByteFile() throws {
        assertLoadFails(try file("empty.wav", bytes: Data()), mentioning: ["not a readable audio file"])
    }

    func testWavWithNoFrames() throws {
        let path = NSTemporaryDirectory() + "serscript-\(UUID().uuidString)-silent.wav"
        scratch.append(path)
        try AudioSignal(samples: [], sampleRate: 16000).write(path: path)
        assertLoadFails(path, mentioning: ["no audio frames"])
    }

    func testTruncatedWav() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: LibrosaFixtures.path("speech48.wav")))
        assertLoadFails(try file("cut.wav", bytes: whole.prefix(50_000)), mentioning: ["truncated", "data"])
    }

    func testTruncatedFlac() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: LibrosaFixtures.path("notebook48.flac")))
        assertLoadFails(try file("cut.flac", bytes: whole.prefix(60_000)), mentioning: ["truncated"])
    }

    func testTextFileIsNotAudio() throws {
        assertLoadFails(try file("notes.wav", bytes: Data("label,path\nangry,a.wav\n".utf8)), mentioning: ["not a readable audio file"])
    }

    func testBadOffsetAndDuration() throws {
        let path = LibrosaFixtures.path("speech22.wav")
        XCTAssertThrowsError(try AudioSignal.load(path: path, sampleRate: nil, offset: -1)) { XCTAssertTrue("\($0)".contains("offset")) }
        XCTAssertThrowsError(try AudioSignal.load(path: path, sampleRate: nil, duration: .nan)) { XCTAssertTrue("\($0)".contains("duration")) }
        // Past the end is not an error in librosa: the clip is simply empty (the notebooks then pad it).
        XCTAssertEqual(try AudioSignal.load(path: path, sampleRate: nil, offset: 10).count, 0)
        XCTAssertEqual(try AudioSignal.load(path: path, sampleRate: nil, offset: 1e300).count, 0)
        XCTAssertEqual(try AudioSignal.load(path: path, sampleRate: nil, duration: 1e300).count,
                       try AudioSignal.load(path: path, sampleRate: nil).count)
    }
}
