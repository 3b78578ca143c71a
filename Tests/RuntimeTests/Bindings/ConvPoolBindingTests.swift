import Engine
import Runtime
import XCTest

/// The conv and pool builtins take PyTorch's keywords and pass them to the Engine layers.
final class ConvPoolBindingTests: XCTestCase {
    func testConvolutionKeywords() throws {
        let run = try BindingRun()
        let output = run.run("""
            let x = zeros([2, 4, 9, 10])
            let depthwise = conv2d(4, 8, 3, padding: "same", dilation: [2, 1], groups: 4, padding_mode: "reflect")
            print(depthwise(x).shape, depthwise.parameters_count)
            print(conv2d(4, 2, [2, 3], padding: "valid", bias: false)(x).shape)
            print(conv2d(4, 2, 3, stride: 2, padding: [1, 0], dilation: 2)(x).shape)
            let c1 = conv1d(4, 6, 4, padding: "same", dilation: 3, groups: 2, padding_mode: "circular")
            print(c1(zeros([2, 4, 13])).shape, c1.parameters_count)
            """)
        // depthwise: weight (8, 1, 3, 3) + bias 8 = 80; conv1d: weight (6, 2, 4) + bias 6 = 54.
        XCTAssertEqual(output, "[2, 8, 9, 10] 80\n[2, 2, 8, 8]\n[2, 2, 4, 3]\n[2, 6, 13] 54\n")
    }

    func testPoolingKeywords() throws {
        let run = try BindingRun()
        let output = run.run("""
            let x = zeros([2, 3, 8, 9])
            print(maxpool2d(3, stride: 2, padding: 1, ceil_mode: true)(x).shape)
            print(maxpool2d([2, 3], stride: [1, 2], padding: 1, dilation: 2)(x).shape)
            print(avgpool2d(3, stride: 2, padding: [1, 0], ceil_mode: true, count_include_pad: false)(x).shape)
            print(maxpool1d(3, stride: 2, padding: 1)(zeros([2, 3, 10])).shape, avgpool1d(4, 3, 2)(zeros([3, 11])).shape)
            print(adaptive_avgpool2d(1)(x).shape, adaptive_avgpool2d([2, 5])(x).shape, adaptive_avgpool1d(4)(zeros([2, 3, 9])).shape)
            print(avgpool2d(2, padding: 1)(ones([1, 1, 2, 2])).tolist(), avgpool2d(2, padding: 1, count_include_pad: false)(ones([1, 1, 2, 2])).tolist())
            print(adaptive_maxpool2d(1)(x).shape, adaptive_maxpool2d([nil, 4])(x).shape, adaptive_avgpool2d([3, nil])(x).shape, adaptive_maxpool1d(7)(zeros([3, 4])).shape)
            print(adaptive_maxpool2d([2, nil])(tensor([[[1, 5], [3, 2], [4, 0]]])).tolist(), adaptive_maxpool1d(2)(tensor([[1, 3, 2, -1, 0]])).tolist())
            """)
        XCTAssertEqual(output, """
            [2, 3, 5, 5]
            [2, 3, 8, 4]
            [2, 3, 5, 4]
            [2, 3, 5] [3, 4]
            [2, 3, 1, 1] [2, 3, 2, 5] [2, 3, 4]
            [[[[0.25, 0.25], [0.25, 0.25]]]] [[[[1.0, 1.0], [1.0, 1.0]]]]
            [2, 3, 1, 1] [2, 3, 8, 4] [2, 3, 3, 9] [3, 7]
            [[[3.0, 5.0], [4.0, 2.0]]] [[3.0, 2.0]]

            """)
    }

    func testBadKeywordsAreErrors() throws {
        let run = try BindingRun()
        XCTAssertTrue(run.failure("conv2d(1, 2, 3, padding: \"full\")").contains("'padding' must be an int, a pair [h, w], \"same\" or \"valid\"; got 'full'"))
        XCTAssertTrue(run.failure("conv1d(1, 2, 3, padding_mode: \"mirror\")").contains("'padding_mode' must be one of zeros, reflect, replicate, circular"))
        XCTAssertTrue(run.failure("conv2d(1, 2, 3, stride: 2, padding: \"same\")").contains("needs stride 1"))
        XCTAssertTrue(run.failure("conv2d(3, 2, 3, groups: 2)").contains("inChannels (3) must be divisible by groups (2)"))
        XCTAssertTrue(run.failure("adaptive_maxpool2d([2, \"x\"])").contains("'output_size' must be an int or a pair [a, b] of ints or nil"))
        XCTAssertTrue(run.failure("maxpool2d([2, nil])").contains("'kernel_size' must be an int or a pair [a, b], got"))
        XCTAssertTrue(run.failure("adaptive_maxpool1d(0)").contains("output width must be positive, got 0"))
    }
}
