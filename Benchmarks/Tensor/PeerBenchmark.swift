import Foundation

/// The PyTorch peer's figures, read from the JSON that `Benchmarks/peers/torch_models.py` writes.
struct PeerResult: Decodable {
    struct Model: Decodable {
        var train_samples_per_s: Double
        var infer_samples_per_s: Double
        var train_batch_cpu_seconds: [Double]?
    }
    var torch: String
    var threads: Int
    var models: [String: Model]

    /// Runs the peer script (it re-executes itself in `.venv-torch/`) and parses its JSON;
    /// `nil` with a printed reason when Python or the venv is unavailable.
    static func run(repoRoot: URL, models: [String], threads: Int, batch: Int, warmup: Int, repeats: Int) -> PeerResult? {
        let json = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-torch-peer-\(getpid()).json")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repoRoot.appendingPathComponent("Benchmarks/peers/torch_models.py").path,
                             "--threads", "\(threads)", "--batch", "\(batch)", "--warmup", "\(warmup)",
                             "--repeats", "\(repeats)", "--models", models.joined(separator: ","), "--json", json.path]
        do {
            try process.run()
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: json) }
            guard process.terminationStatus == 0 else {
                print("PyTorch peer exited with status \(process.terminationStatus); no comparison")
                return nil
            }
            return try JSONDecoder().decode(PeerResult.self, from: Data(contentsOf: json))
        } catch {
            print("PyTorch peer unavailable (\(error)); no comparison")
            return nil
        }
    }
}
