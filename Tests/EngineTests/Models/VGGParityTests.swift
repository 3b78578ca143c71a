import Engine
import Foundation
import XCTest

/// VGG16's conv base and VGGish against PyTorch: narrow copies (width 4) with the generator's random
/// weights, read from `.pt` files, give PyTorch's outputs; the full-width networks have exactly the
/// state-dict keys and shapes of torchvision's VGG16 and torchvggish's VGGish.
final class VGGParityTests: XCTestCase {
    private func fixture(_ name: String) -> String {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/torch/pt/\(name)").path
    }

    private func assertClose(_ actual: Tensor, _ expected: StoredTensor?, _ what: String) throws {
        let expected = try XCTUnwrap(expected, what)
        XCTAssertEqual(actual.shape, expected.shape, what)
        let scale = expected.values.map(abs).max() ?? 1
        let worst = zip(actual.values, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-5 * max(1, scale), "\(what): largest difference from PyTorch")
        XCTAssertGreaterThan(scale, 0, "\(what): an all-zero reference proves nothing")
    }

    func testVGG16ConvBaseMatchesPyTorch() throws {
        let base = try VGG.vgg16Features(width: 4)
        // The file is a whole VGG16 (features + classifier); the base takes the `features.` part.
        let whole = try TorchFile.readStateDict(path: fixture("vgg16_narrow.pt"))
        XCTAssertTrue(whole.keys.contains("classifier.6.weight"))
        try base.loadStateDict(stateDictEntries(whole, under: "features."))
        let reference = try SafeTensors.read(path: fixture("vgg16_narrow.safetensors")).tensors
        let output = try base(try Tensor(try XCTUnwrap(reference["input"])))
        try assertClose(output, reference["features"], "VGG16 features")
    }

    func testVGGishMatchesPyTorch() throws {
        let model = try VGG.vggish(width: 4)
        try model.loadStateDict(try TorchFile.readStateDict(path: fixture("vggish_narrow.pt")))
        let reference = try SafeTensors.read(path: fixture("vggish_narrow.safetensors")).tensors
        let output = try model(try Tensor(try XCTUnwrap(reference["input"])))
        try assertClose(output, reference["embeddings"], "VGGish embeddings")
    }

    func testFullWidthNetworksHaveThePublishedKeyLayouts() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture("vgg_layouts.json")))
        let layouts = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: [[Any]]])
        func shapes(_ name: String, prefix: String) throws -> [String: [Int]] {
            var result: [String: [Int]] = [:]
            for entry in try XCTUnwrap(layouts[name]) {
                let key = try XCTUnwrap(entry.first as? String)
                if key.hasPrefix(prefix) { result[String(key.dropFirst(prefix.count))] = try XCTUnwrap(entry.last as? [Int]) }
            }
            return result
        }
        let vgg16 = try VGG.vgg16Features()
        XCTAssertEqual(vgg16.stateDict().mapValues(\.shape), try shapes("vgg16", prefix: "features."))
        XCTAssertEqual(vgg16.trainableParameterCount, 14_714_688, "torchvision's VGG16 conv base")
        let vggish = try VGG.vggish()
        XCTAssertEqual(vggish.stateDict().mapValues(\.shape), try shapes("vggish", prefix: ""))
    }

    func testFreezingStopsTraining() throws {
        let model = try VGG.vgg16Features(width: 1)
        XCTAssertGreaterThan(model.trainableParameterCount, 0)
        model.setRequiresGrad(false)
        XCTAssertEqual(model.trainableParameterCount, 0)
        let before = model.stateDict()
        let optimizer = try Adam(parameters: model.parameters(), learningRate: 0.1)
        let output = try model(try Tensor.randn([1, 3, 32, 32]))
        XCTAssertFalse(output.requiresGrad, "a frozen network records no graph")
        try optimizer.step()
        XCTAssertEqual(model.stateDict(), before)
        model.setRequiresGrad(true)
        XCTAssertEqual(model.trainableParameterCount, try VGG.vgg16Features(width: 1).trainableParameterCount)
    }
}
