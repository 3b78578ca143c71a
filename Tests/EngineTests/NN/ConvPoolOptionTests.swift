import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// Bad convolution and pooling options throw errors naming the layer and the sizes (never trap); the
/// layers describe their non-default options; padding modes copy the right elements.
final class ConvPoolOptionTests: XCTestCase {
    private func assertThrows(_ expression: @autoclosure () throws -> Any, _ phrases: [String],
                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            let text = "\(error)"
            for phrase in phrases { XCTAssertTrue(text.contains(phrase), "'\(phrase)' not in: \(text)", file: file, line: line) }
        }
    }

    func testBadConvolutionArgumentsThrow() throws {
        assertThrows(try Conv2d(6, 4, kernelSize: 3, groups: 4), ["Conv2d", "inChannels (6) must be divisible by groups (4)"])
        assertThrows(try Conv1d(4, 6, kernelSize: 3, groups: 4), ["Conv1d", "outChannels (6) must be divisible by groups (4)"])
        assertThrows(try Conv2d(3, 4, kernel: (3, 3), stride: (1, 2), padding: .same), ["Conv2d", "\"same\" needs stride 1", "[1, 2]"])
        assertThrows(try Conv1d(3, 4, kernelSize: 3, stride: 2, padding: .same), ["Conv1d", "got stride 2"])
        assertThrows(try Conv2d(3, 4, kernelSize: 3, padding: -1), ["Conv2d", "padding must not be negative", "[-1, -1]"])
        assertThrows(try Conv2d(3, 4, kernelSize: 3, dilation: 0), ["Conv2d", "dilation height must be positive, got 0"])
        assertThrows(try Conv2d(3, 4, kernelSize: 3, groups: -1), ["groups must be positive, got -1"])

        let dilated = try Conv2d(1, 1, kernelSize: 3, padding: 1, dilation: 3)
        assertThrows(try dilated(Tensor.zeros([1, 1, 4, 5])),
                     ["Conv2d(1 → 1, kernel: [3, 3]", "dilation: [3, 3]", "[1, 1, 4, 5]", "padded to 6×7", "extent 7×7"])
        assertThrows(try Conv1d(1, 1, kernelSize: 3)(Tensor.zeros([0, 1, 5])), ["Conv1d", "[0, 1, 5] is empty"])
        assertThrows(try Conv2d(4, 2, kernelSize: 1, groups: 2)(Tensor.zeros([1, 2, 3, 3])), ["expected input of shape (N, 4, H, W)"])
        let reflect = try Conv2d(1, 1, kernelSize: 3, padding: 3, paddingMode: .reflect)
        assertThrows(try reflect(Tensor.zeros([1, 1, 3, 8])), ["reflect padding (3, 3) must be smaller than the input size 3", "(height)"])
        let circular = try Conv1d(1, 1, kernelSize: 3, padding: 4, paddingMode: .circular)
        assertThrows(try circular(Tensor.zeros([1, 1, 3])), ["circular padding (4, 4) may not exceed the input size 3", "(length)"])
    }

    func testBadPoolingArgumentsThrow() throws {
        assertThrows(try MaxPool2d(kernelSize: 2, padding: 2), ["MaxPool2d", "padding [2, 2] must be between 0 and half the kernel [2, 2]"])
        assertThrows(try AvgPool1d(kernelSize: 3, padding: -1), ["AvgPool1d", "padding -1"])
        assertThrows(try MaxPool1d(kernelSize: 3, dilation: 0), ["MaxPool1d", "dilation width must be positive, got 0"])
        assertThrows(try AvgPool2d(kernel: (2, 2), stride: (0, 1)), ["AvgPool2d", "stride height must be positive, got 0"])
        assertThrows(try AdaptiveAvgPool2d(outputSize: (0, 2)), ["AdaptiveAvgPool2d", "output height must be positive, got 0"])
        assertThrows(try AdaptiveMaxPool2d(outputSize: (nil, -1)), ["AdaptiveMaxPool2d", "output width must be positive, got -1"])
        assertThrows(try AdaptiveMaxPool1d(outputSize: 2)(Tensor.zeros([2, 0, 3])), ["AdaptiveMaxPool1d", "[2, 0, 3] is empty"])
        assertThrows(try MaxPool2d(kernelSize: 4, padding: 1)(Tensor.zeros([1, 1, 1, 8])), ["MaxPool2d", "[1, 1, 1, 8]", "smaller than the window"])
        assertThrows(try AvgPool1d(kernelSize: 2)(Tensor.zeros([2, 0, 5])), ["AvgPool1d", "[2, 0, 5] is empty"])
        assertThrows(try AdaptiveAvgPool1d(outputSize: 2)(Tensor.zeros([2, 3, 0])), ["AdaptiveAvgPool1d", "[2, 3, 0] is empty"])
        assertThrows(try MaxPool1d(kernelSize: 2)(Tensor.zeros([2, 3, 4, 5])), ["expected input of shape (N, C, L) or (C, L)"])
        // Taps at −1 and 2 of a length-2 input: the window holds only padding (PyTorch would return −∞).
        assertThrows(try MaxPool1d(kernelSize: 2, stride: 1, padding: 1, dilation: 3)(Tensor.zeros([1, 1, 2])), ["reads only padding"])
    }

    func testDescriptionsNameTheOptions() throws {
        XCTAssertEqual(try Conv2d(4, 8, kernelSize: 3, padding: .same, dilation: 2, groups: 4, paddingMode: .reflect).typeDescription,
                       "Conv2d(4 → 8, kernel: [3, 3], stride: [1, 1], padding: same, dilation: [2, 2], groups: 4, padding mode: reflect)")
        XCTAssertEqual(try Conv2d(1, 16, kernelSize: 3, padding: 1).typeDescription,
                       "Conv2d(1 → 16, kernel: [3, 3], stride: [1, 1], padding: [1, 1])", "defaults read as before")
        XCTAssertEqual(try Conv1d(2, 3, kernelSize: 5, padding: 2).typeDescription, "Conv1d(2 → 3, kernel: 5, stride: 1, padding: 2)")
        XCTAssertEqual(try MaxPool2d(kernel: (2, 4), stride: (2, 4)).typeDescription, "MaxPool2d(kernel: [2, 4], stride: [2, 4])")
        XCTAssertEqual(try MaxPool1d(kernelSize: 3, stride: 2, padding: 1, dilation: 2, ceilMode: true).typeDescription,
                       "MaxPool1d(kernel: 3, stride: 2, padding: 1, dilation: 2, ceil mode)")
        XCTAssertEqual(try AvgPool2d(kernelSize: 3, padding: 1, countIncludePad: false).typeDescription,
                       "AvgPool2d(kernel: [3, 3], stride: [3, 3], padding: [1, 1], padding not counted)")
        XCTAssertEqual(try AdaptiveAvgPool2d(outputSize: 1).typeDescription, "AdaptiveAvgPool2d(output: [1, 1])")
        XCTAssertEqual(try AdaptiveMaxPool2d(outputSize: (nil, 4)).typeDescription, "AdaptiveMaxPool2d(output: [nil, 4])")
        XCTAssertEqual(try AdaptiveMaxPool1d(outputSize: 3).typeDescription, "AdaptiveMaxPool1d(output: 3)")
    }

    func testPaddingModesCopyTheDocumentedElements() {
        // Input 0 1 2 3, two before and two after.
        XCTAssertEqual(PadKernels.sourceIndices(.reflect, size: 4, before: 2, after: 2), [2, 1, 0, 1, 2, 3, 2, 1])
        XCTAssertEqual(PadKernels.sourceIndices(.replicate, size: 4, before: 2, after: 2), [0, 0, 0, 1, 2, 3, 3, 3])
        XCTAssertEqual(PadKernels.sourceIndices(.circular, size: 4, before: 2, after: 2), [2, 3, 0, 1, 2, 3, 0, 1])
    }

    func testSameConvolutionKeepsTheSizeAndGroupsSeparateChannels() throws {
        let same = try Conv1d(2, 2, kernelSize: 4, padding: .same, dilation: 2, groups: 2, bias: false)
        XCTAssertEqual(try same(Tensor.zeros([3, 2, 9])).shape, [3, 2, 9])
        // Group 1's output cannot see group 0's input: zero the second channel's input, its output is zero.
        let x = try Tensor(shape: [1, 2, 9], values: (0..<9).map { Float($0) } + [Float](repeating: 0, count: 9))
        let y = try same(x).values
        XCTAssertTrue(y[9...].allSatisfy { $0 == 0 }, "\(y)")
        XCTAssertTrue(y[..<9].contains { $0 != 0 })
    }
}
