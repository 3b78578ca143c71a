// swift-tools-version:5.10
import PackageDescription

// Debian ships OpenBLAS, FFTW, libsndfile, readline, libsoxr and zlib with pkg-config files;
// `scripts/setup.sh` installs them. Each is bound as a system library target below.
// The Engine in layers, bottom to top. Every folder of Sources/Engine belongs to exactly one layer
// target; a layer depends only on layers below it, so an upward import does not compile
// (docs/architecture.md has the picture). `Engine` re-exports them all.
let engineLayers: [String: [String]] = [
    "EngineFormats": ["Formats"],
    "EngineTensor": ["Native", "Random", "Tensor", "Autograd", "Kernels"],
    "EngineNN": ["NN", "Optim", "Loss", "Models"],
    "EngineAudio": ["Audio", "DSP", "Augment"],
    "EngineData": ["Data", "DemoCorpus"],
    "EngineTrain": ["Train", "Metrics", "Experiment"],
    "EngineReport": ["Report"],
    "Engine": ["Engine.swift"],
]

/// The other layers' folders, which share the path Sources/Engine with `layer`.
func excluded(but layer: String) -> [String] {
    engineLayers.filter { $0.key != layer }.flatMap(\.value).sorted()
}

let package = Package(
    name: "serscript",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "serscript", targets: ["SERScript"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Runtime", targets: ["Runtime"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f",
                       providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "CSndFile", path: "Sources/CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CReadline", path: "Sources/CReadline", pkgConfig: "readline",
                       providers: [.apt(["libreadline-dev"])]),
        .systemLibrary(name: "CSoxr", path: "Sources/CSoxr", pkgConfig: "soxr",
                       providers: [.apt(["libsoxr-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),

        .target(name: "EngineFormats", dependencies: ["CZlib"], path: "Sources/Engine",
                exclude: excluded(but: "EngineFormats"), sources: engineLayers["EngineFormats"]),
        .target(name: "EngineTensor", dependencies: ["EngineFormats", "CBLAS", "CFFTW", "CSndFile", "CSoxr"], path: "Sources/Engine",
                exclude: excluded(but: "EngineTensor"), sources: engineLayers["EngineTensor"]),
        .target(name: "EngineNN", dependencies: ["EngineTensor"], path: "Sources/Engine",
                exclude: excluded(but: "EngineNN"), sources: engineLayers["EngineNN"]),
        .target(name: "EngineAudio", dependencies: ["EngineTensor"], path: "Sources/Engine",
                exclude: excluded(but: "EngineAudio"), sources: engineLayers["EngineAudio"]),
        .target(name: "EngineData", dependencies: ["EngineAudio"], path: "Sources/Engine",
                exclude: excluded(but: "EngineData"), sources: engineLayers["EngineData"]),
        .target(name: "EngineTrain", dependencies: ["EngineNN", "EngineData"], path: "Sources/Engine",
                exclude: excluded(but: "EngineTrain"), sources: engineLayers["EngineTrain"]),
        .target(name: "EngineReport", dependencies: ["EngineTrain"], path: "Sources/Engine",
                exclude: excluded(but: "EngineReport"), sources: engineLayers["EngineReport"]),
        .target(name: "Engine", dependencies: ["EngineReport"], path: "Sources/Engine",
                exclude: excluded(but: "Engine"), sources: engineLayers["Engine"]),
        .target(name: "Runtime", dependencies: ["Engine"]),
        .executableTarget(name: "SERScript", dependencies: [
            "Runtime", "Engine", "CReadline", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "AudioBench", dependencies: ["Engine"], path: "Benchmarks/Audio",
                          exclude: ["librosa_peer.py"]),
        .executableTarget(name: "BenchInterpreter", dependencies: ["Runtime"], path: "Benchmarks/Interpreter"),
        .executableTarget(name: "BenchTensor", dependencies: ["Engine"], path: "Benchmarks/Tensor"),
        .executableTarget(name: "BenchTrain", dependencies: ["Engine"], path: "Benchmarks/Train"),

        .testTarget(name: "EngineTests", dependencies: ["Engine", "CZlib"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Engine"]),
        .testTarget(name: "EndToEndTests", dependencies: ["SERScript", "Engine"]),

        // Micro-benchmark of single tensor ops (`make bench-tensor-ops`).
        .executableTarget(name: "BenchTensorOps", dependencies: ["Engine"], path: "Benchmarks/TensorOps"),

        // Writes Sources/Engine/Native/FFTWisdom.swift: RealFFT's plans timed with FFTW_PATIENT (`make fftw-wisdom`).
        .executableTarget(name: "FFTWisdom", dependencies: ["Engine"], path: "Tools/FFTWisdom"),

        // The README demo's run timed stage by stage, with its accuracy (`make demo-feasibility`).
        .executableTarget(name: "DemoFeasibility", dependencies: ["Engine"], path: "Benchmarks/DemoFeasibility"),
    ]
)
