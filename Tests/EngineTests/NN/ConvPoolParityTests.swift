import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import XCTest

/// Forward and backward parity with PyTorch for the convolution and pooling options (dilation, groups,
/// "same"/"valid", padding modes, pool padding, ceil mode, count_include_pad, adaptive pooling), from the
/// fixtures of `generate.py`'s CONV_POOL_CASES: output, input gradient and every parameter gradient.
final class ConvPoolParityTests: XCTestCase {
    private func check(_ name: String, _ module: Module, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixture = try TorchFixture(name)
        var state: [String: StoredTensor] = [:]
        for (key, value) in fixture.file.tensors where key.hasPrefix("param.") { state[String(key.dropFirst(6))] = value }
        try module.loadStateDict(state)   // strict: the parameter keys and shapes must be PyTorch's
        let x = try fixture.tensor("input")
        x.requiresGrad = true
        let out = try module(x)
        assertMatchesReference(out, try fixture.tensor("out"), atol: 1e-5, rtol: 1e-4, "\(name) out", file: file, line: line)
        try (out * fixture.tensor("R")).sum().backward()
        assertMatchesReference(try XCTUnwrap(x.grad), try fixture.tensor("grad_input"), atol: 1e-5, rtol: 1e-4,
                               "\(name) grad_input", file: file, line: line)
        for (key, parameter) in module.namedParameters() {
            assertMatchesReference(try XCTUnwrap(parameter.grad), try fixture.tensor("grad." + key), atol: 1e-5, rtol: 1e-4,
                                   "\(name) grad.\(key)", file: file, line: line)
        }
    }

    func testDilatedAndGroupedConvolutions() throws {
        try check("conv2d_k3_d2x1_p2x1", Conv2d(3, 4, kernel: (3, 3), padding: (2, 1), dilation: (2, 1)))
        try check("conv2d_k3_s2_d2_groups", Conv2d(4, 6, kernel: (3, 2), stride: (2, 2), padding: 1, dilation: (2, 2), groups: 2))
        try check("conv2d_depthwise", Conv2d(3, 6, kernelSize: 3, padding: 1, groups: 3, bias: false))
    }

    func testSameAndValidPadding() throws {
        let same = try Conv2d(3, 4, kernel: (4, 3), padding: .same, dilation: (1, 2))
        XCTAssertTrue(same.padding == (1, 2) && same.trailingPadding == (2, 2), "odd total: the extra row goes below")
        try check("conv2d_same_even", same)
        try check("conv2d_valid", Conv2d(3, 4, kernelSize: 3, padding: .valid))
        try check("conv1d_same_d3_groups", Conv1d(4, 6, kernelSize: 4, padding: .same, dilation: 3, groups: 2))
    }

    func testPaddingModes() throws {
        try check("conv2d_reflect", Conv2d(3, 4, kernel: (3, 3), padding: (1, 2), paddingMode: .reflect))
        try check("conv2d_replicate_same", Conv2d(2, 3, kernel: (2, 3), padding: .same, paddingMode: .replicate))
        try check("conv2d_circular", Conv2d(2, 3, kernel: (3, 3), padding: (2, 1), paddingMode: .circular))
        try check("conv1d_reflect_s2", Conv1d(3, 4, kernelSize: 5, stride: 2, padding: 2, paddingMode: .reflect))
    }

    func testPaddedAndCeilModePooling() throws {
        try check("maxpool2d_p1_ceil", MaxPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true))
        try check("maxpool2d_ceil_dropped", MaxPool2d(kernelSize: 2, stride: 2, padding: 1, ceilMode: true))
        try check("maxpool2d_dilation", MaxPool2d(kernel: (2, 3), stride: (1, 2), padding: (1, 1), dilation: (2, 2)))
        try check("avgpool2d_p1_ceil", AvgPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true))
        try check("avgpool2d_p1_exclude_pad", AvgPool2d(kernel: (3, 2), stride: (2, 1), padding: (1, 1), ceilMode: true,
                                                        countIncludePad: false))
        try check("maxpool1d_p1_ceil", MaxPool1d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true))
        try check("avgpool1d_p2_exclude_pad", AvgPool1d(kernelSize: 4, stride: 3, padding: 2, countIncludePad: false))
    }

    func testAdaptiveAveragePooling() throws {
        try check("adaptive_avgpool2d", AdaptiveAvgPool2d(outputSize: (3, 4)))
        try check("adaptive_avgpool1d", AdaptiveAvgPool1d(outputSize: 4))
        try check("adaptive_avgpool2d_none", AdaptiveAvgPool2d(outputSize: (4, nil)))
    }

    func testAdaptiveMaxPooling() throws {
        try check("adaptive_maxpool2d", AdaptiveMaxPool2d(outputSize: (3, 4)))
        try check("adaptive_maxpool1d", AdaptiveMaxPool1d(outputSize: 4))
        try check("adaptive_maxpool1d_more_outputs", AdaptiveMaxPool1d(outputSize: 7))
        try check("adaptive_maxpool2d_none", AdaptiveMaxPool2d(outputSize: (nil, 3)))
    }
}
