import Engine
import XCTest

/// Losses and their logit gradients against PyTorch (`Tests/Fixtures/torch/cross_entropy.safetensors`).
final class LossParityTests: XCTestCase {
    func testEveryVariantMatchesPyTorch() throws {
        let fixture = try TorchFixture("cross_entropy")
        let labels = try fixture.tensor("labels"), weights = try fixture.tensor("class_weights")
        let mseTarget = try fixture.tensor("mse_target")
        let variants: [String: (Tensor) throws -> Tensor] = [
            "plain": { try Loss.crossEntropy($0, targets: labels) },
            "weighted": { try Loss.crossEntropy($0, targets: labels, weight: weights) },
            "smoothed": { try Loss.crossEntropy($0, targets: labels, labelSmoothing: 0.1) },
            "weighted_smoothed": { try Loss.crossEntropy($0, targets: labels, weight: weights, labelSmoothing: 0.1) },
            "nll": { try Loss.nll($0.logSoftmax(dim: 1), targets: labels) },
            "nll_weighted": { try Loss.nll($0.logSoftmax(dim: 1), targets: labels, weight: weights) },
            "mse": { try Loss.mse($0, mseTarget) },
        ]
        for (name, loss) in variants {
            let logits = try fixture.tensor("logits")
            logits.requiresGrad = true
            let value = try loss(logits)
            try value.backward()
            assertMatchesReference(try value.reshape([1]), try fixture.tensor("loss.\(name)"), "loss.\(name)")
            guard let grad = logits.grad else { return XCTFail("no gradient for \(name)") }
            assertMatchesReference(grad, try fixture.tensor("grad_logits.\(name)"), atol: 1e-7, "grad_logits.\(name)")
        }
    }
}
