import Engine
import XCTest

/// Three optimizer steps against PyTorch (`Tests/Fixtures/torch/optim_*.safetensors`): parameters
/// after every step and the final state buffers.
final class OptimizerParityTests: XCTestCase {
    private func replay(_ name: String, stateKeys: [String], _ make: ([Tensor]) throws -> any Optimizer) throws {
        let fixture = try TorchFixture(name)
        let parameter = try fixture.tensor("param_initial")
        parameter.requiresGrad = true
        let optimizer = try make([parameter])
        for step in 1...3 {
            parameter.grad = try fixture.tensor("step\(step).grad")
            try optimizer.step()
            assertMatchesReference(parameter, try fixture.tensor("step\(step).param"), "\(name) step \(step)")
        }
        let state = optimizer.state()
        for key in stateKeys {
            guard let mine = state["state.0.\(key)"] else { return XCTFail("\(name): no state '\(key)'") }
            assertMatchesReference(mine, try fixture.tensor("state.\(key)"), atol: 1e-7, "\(name) \(key)")
        }
    }

    func testSGDMomentum() throws {
        try replay("optim_sgd_momentum", stateKeys: ["momentum_buffer"]) {
            try SGD(parameters: $0, learningRate: 0.01, momentum: 0.8, weightDecay: 1e-3)
        }
    }

    func testSGDNesterov() throws {
        try replay("optim_sgd_nesterov", stateKeys: ["momentum_buffer"]) {
            try SGD(parameters: $0, learningRate: 0.01, momentum: 0.8, weightDecay: 1e-3, nesterov: true)
        }
    }

    func testAdam() throws {
        try replay("optim_adam", stateKeys: ["exp_avg", "exp_avg_sq"]) { try Adam(parameters: $0, learningRate: 0.01) }
    }

    func testAdamCoupledL2() throws {
        try replay("optim_adam_l2", stateKeys: ["exp_avg", "exp_avg_sq"]) {
            try Adam(parameters: $0, learningRate: 0.01, weightDecay: 1e-3)
        }
    }

    func testAdamW() throws {
        try replay("optim_adamw", stateKeys: ["exp_avg", "exp_avg_sq"]) {
            try AdamW(parameters: $0, learningRate: 0.01, weightDecay: 1e-2)
        }
    }
}
