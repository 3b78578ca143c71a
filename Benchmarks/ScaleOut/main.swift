// Scale-out benchmark (`make bench-scale-out`): what mpirun buys on this machine, measured as ratios
// against one process in the same run.
//   1. Data-parallel fit of the Parallel CNN-Transformer (395,176 parameters), global batch 32:
//      1 rank × 2 BLAS threads against 2 ranks × 1 thread (batch 16 each); seconds per step.
//   2. The gradient all-reduce alone: 395,176 floats summed over 2 ranks (MPI_Allreduce).
//   3. A sweep of 8 short training runs: 1 rank (1 run at a time, 2 threads) against 2 ranks (1 thread each).
// Prints a table and writes Benchmarks/results/scale_out.json. Launched without mpirun it is the
// driver: it starts itself under mpirun for 1 and 2, and serscript (built beside it) for the sweep.
import Engine
import Foundation

let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
let steps = 8

/// Under mpirun: times `steps` training steps (after one warm-up epoch) and the all-reduce; rank 0 prints JSON.
func worker() throws {
    try Cluster.start()
    defer { Cluster.stop() }
    if let threads = ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"].flatMap(Int.init) { BLAS.threadCount = threads }
    let world = Cluster.world
    let globalBatch = 32, count = globalBatch * steps
    let generator = RandomGenerator(seed: 1)
    let data = try TensorDataset(features: try Tensor.randn([count] + ParallelCNNTransformer.inputShape, generator: generator),
                                 labels: (0..<count).map { $0 % 8 })
    let model = try ParallelCNNTransformer(generator: RandomGenerator(seed: 2))
    let optimizer = try SGD(parameters: model.parameters(), learningRate: 0.01, momentum: 0.8, weightDecay: 1e-3)
    var options = FitOptions(epochs: 2, batchSize: globalBatch / world.size)
    options.progress = .silent
    options.communicator = world
    options.shuffle = false
    let history = try fit(model, optimizer: optimizer, train: data, options: options)
    let stepSeconds = (history.epochs.last?.seconds ?? .nan) / Double(steps)
    let parameters = model.trainableParameterCount
    var gradients = [Float](repeating: 1, count: parameters)
    let rounds = 30
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<rounds { try gradients.withUnsafeMutableBufferPointer { try world.sumInPlace($0) } }
    let allreduce = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(rounds)
    if world.rank == 0 {
        print("RESULT {\"ranks\": \(world.size), \"threads\": \(BLAS.threadCount), \"step_seconds\": \(stepSeconds), "
              + "\"allreduce_seconds\": \(allreduce), \"parameters\": \(parameters)}")
    }
}

func run(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (seconds: Double, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.standardError
    let start = DispatchTime.now().uptimeNanoseconds
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard process.terminationStatus == 0 else {
        throw CommunicatorError("\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
    }
    return (seconds, String(decoding: data, as: UTF8.self))
}

let mpirun = ["--oversubscribe", "--allow-run-as-root"]

func measureFit(ranks: Int, threads: Int) throws -> [String: Double] {
    // One rank with two threads must not be pinned to one core.
    let (_, output) = try run("/usr/bin/mpirun", mpirun + ["--bind-to", "none", "-np", String(ranks), executable.path],
                              environment: ["OPENBLAS_NUM_THREADS": String(threads), "SERSCRIPT_BENCH_WORKER": "1"])
    guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("RESULT ") }),
          let object = try JSONSerialization.jsonObject(with: Data(line.dropFirst(7).utf8)) as? [String: Double] else {
        throw CommunicatorError("no RESULT line from the \(ranks)-rank run:\n\(output)")
    }
    return object
}

func measureSweep(ranks: Int, threads: Int, folder: String) throws -> Double {
    let serscript = executable.deletingLastPathComponent().appendingPathComponent("serscript").path
    let script = folder + "/sweep.sers"
    try """
    param lr = 0.01
    let data = feature_set(randn([128, 1, 32, 64], seed: 1), map(fn(i) = i % 4, range(128)))
    let model = seq(conv2d(1, 16, 3, padding: 1), relu(), maxpool2d(2), conv2d(16, 32, 3, padding: 1), relu(),
                    adaptive_avgpool2d(1), flatten(), linear(32, 4))
    let history = fit(model, data, optimizer: sgd(model, lr: lr), epochs: 10, batch_size: 16, progress: "silent", checkpoint: false)
    report(loss: history.train_loss[-1])
    """.write(toFile: script, atomically: true, encoding: .utf8)
    let arguments = ["sweep", script, "--grid", "lr=0.01,0.02,0.03,0.04,0.05,0.06,0.07,0.08", "--seed", "1",
                     "--threads", String(threads), "--out", folder + "/sweep-\(ranks)"]
    if ranks == 1 { return try run(serscript, arguments).seconds }
    return try run("/usr/bin/mpirun", mpirun + ["-np", String(ranks), serscript] + arguments).seconds
}

if ProcessInfo.processInfo.environment["SERSCRIPT_BENCH_WORKER"] != nil {
    try worker()
    exit(0)
}

let folder = FileManager.default.temporaryDirectory.appendingPathComponent("serscript-bench-scale-out-\(getpid())").path
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }
print("cores \(ProcessInfo.processInfo.activeProcessorCount); global batch 32; \(steps) steps after a warm-up epoch")
func line(_ name: String, _ setting: String, _ value: String) {
    print(name.padding(toLength: 44, withPad: " ", startingAt: 0) + setting.padding(toLength: 26, withPad: " ", startingAt: 0) + value)
}
line("what", "setting", "result")
let one = try measureFit(ranks: 1, threads: 2)
line("fit step, Parallel CNN-Transformer", "1 rank × 2 threads", String(format: "%.3f s/step", one["step_seconds"] ?? .nan))
let two = try measureFit(ranks: 2, threads: 1)
line("fit step, Parallel CNN-Transformer", "2 ranks × 1 thread", String(format: "%.3f s/step (%.2f× the 1-rank speed)",
                                                                      two["step_seconds"] ?? .nan, (one["step_seconds"] ?? .nan) / (two["step_seconds"] ?? .nan)))
line("all-reduce of the gradients", "2 ranks, \(Int(two["parameters"] ?? 0)) floats", String(format: "%.2f ms", (two["allreduce_seconds"] ?? .nan) * 1000))
let sweepOne = try measureSweep(ranks: 1, threads: 2, folder: folder)
line("sweep of 8 runs", "1 rank × 2 threads", String(format: "%.1f s", sweepOne))
let sweepTwo = try measureSweep(ranks: 2, threads: 1, folder: folder)
line("sweep of 8 runs", "2 ranks × 1 thread", String(format: "%.1f s (%.2f× the 1-rank speed)", sweepTwo, sweepOne / sweepTwo))

let results: [String: Any] = [
    "cores": ProcessInfo.processInfo.activeProcessorCount, "global_batch": 32, "steps": steps,
    "fit_one_rank_two_threads": one, "fit_two_ranks_one_thread": two,
    "fit_speedup": (one["step_seconds"] ?? .nan) / (two["step_seconds"] ?? .nan),
    "sweep_8_runs_one_rank_seconds": sweepOne, "sweep_8_runs_two_ranks_seconds": sweepTwo, "sweep_speedup": sweepOne / sweepTwo,
]
let output = URL(fileURLWithPath: "Benchmarks/results/scale_out.json")
try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys]).write(to: output)
print("wrote \(output.path)")
