import Engine
import XCTest

/// The aligned (SIMD) FFT path gives what the unaligned one gives, and refuses foreign workspaces.
final class FFTWorkspaceTests: XCTestCase {
    func testAlignedTransformsMatchUnalignedOnes() throws {
        let fft = try RealFFT.of(size: 1024)
        let signal = (0..<1024).map { Float(sin(0.031 * Double($0)) + 0.2 * cos(0.77 * Double($0))) }
        var expected = [Float](repeating: 0, count: 2 * fft.binCount)
        fft.forward(signal, into: &expected)
        let workspace = fft.makeWorkspace()
        for i in 0..<1024 { workspace.input[i] = signal[i] }
        XCTAssertTrue(fft.forward(workspace))
        for k in 0..<2 * fft.binCount { XCTAssertEqual(workspace.output[k], expected[k], accuracy: 1e-3) }
        XCTAssertTrue(fft.inverse(workspace))
        for i in 0..<1024 { XCTAssertEqual(workspace.input[i] / 1024, signal[i], accuracy: 1e-5) }
        XCTAssertFalse(fft.forward(try RealFFT.of(size: 512).makeWorkspace()))
    }
}
