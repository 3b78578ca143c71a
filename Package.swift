// swift-tools-version:5.10
import PackageDescription

// Debian ships OpenBLAS, FFTW, libsndfile, readline, libsoxr and zlib with pkg-config files;
// `scripts/setup.sh` installs them. Each is bound as a system library target below.
// The Engine in layers, bottom to top. Every folder of Sources/Engine belongs to exactly one layer
// target; a layer depends only on layers below it, so an upward import does not compile
// (docs/architecture.md has the picture). `Engine` re-exports them all.
let engineLayers: [String: [String]] = [
    "EngineFormats": ["Formats"],
    "EngineTensor": ["Native", "Random", "Tensor", "Autograd", "Kernels", "Parallel"],
    "EngineNN": ["NN", "Optim", "Loss", "Models"],
    "EngineAudio": ["Audio", "DSP", "Augment"],
    "EngineData": ["Data", "DemoCorpus"],
    "EngineTrain": ["Train", "Metrics", "Experiment"],
    "EngineReport": ["Report"],
    "EngineExport": ["Export"],
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
        // ONNX export writes protobuf; the Swift code for ONNX's messages is generated once (Tools/onnx/generate.sh) and committed.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
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
        // Open MPI for distributed sweeps, cross-validation and data-parallel fit (used only under mpirun).
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev"])]),
        // The Jupyter kernel's transport (ZeroMQ) and message signing (HMAC-SHA256 from libcrypto).
        .systemLibrary(name: "CZMQ", path: "Sources/CZMQ", pkgConfig: "libzmq",
                       providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        .target(name: "EngineFormats", dependencies: ["CZlib"], path: "Sources/Engine",
                exclude: excluded(but: "EngineFormats"), sources: engineLayers["EngineFormats"]),
        .target(name: "EngineTensor", dependencies: ["EngineFormats", "CBLAS", "CFFTW", "CSndFile", "CSoxr", "CMPI"], path: "Sources/Engine",
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
        .target(name: "EngineExport", dependencies: ["EngineReport", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                path: "Sources/Engine", exclude: excluded(but: "EngineExport"), sources: engineLayers["EngineExport"]),
        .target(name: "Engine", dependencies: ["EngineExport"], path: "Sources/Engine",
                exclude: excluded(but: "Engine"), sources: engineLayers["Engine"]),
        .target(name: "Runtime", dependencies: ["Engine"]),
        .executableTarget(name: "SERScript", dependencies: [
            "Runtime", "Engine", "CReadline", "CZMQ", "CCrypto", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "AudioBench", dependencies: ["Engine"], path: "Benchmarks/Audio",
                          exclude: ["librosa_peer.py", "librosa_corpus.py"]),
        .executableTarget(name: "BenchInterpreter", dependencies: ["Runtime"], path: "Benchmarks/Interpreter"),
        .executableTarget(name: "BenchTensor", dependencies: ["Engine"], path: "Benchmarks/Tensor"),
        .executableTarget(name: "BenchTrain", dependencies: ["Engine"], path: "Benchmarks/Train"),
        // `serscript predict` files/s against PyTorch + librosa (`make bench-predict`).
        .executableTarget(name: "BenchPredict", dependencies: ["Engine"], path: "Benchmarks/Predict"),

        .testTarget(name: "EngineTests", dependencies: ["Engine", "CZlib"]),
        .testTarget(name: "RuntimeTests", dependencies: ["Runtime", "Engine"]),
        .testTarget(name: "EndToEndTests", dependencies: ["SERScript", "Engine"]),

        // Micro-benchmark of single tensor ops (`make bench-tensor-ops`).
        .executableTarget(name: "BenchTensorOps", dependencies: ["Engine"], path: "Benchmarks/TensorOps"),

        // Writes Sources/Engine/Native/FFTWisdom.swift: RealFFT's plans timed with FFTW_PATIENT (`make fftw-wisdom`).
        .executableTarget(name: "FFTWisdom", dependencies: ["Engine"], path: "Tools/FFTWisdom"),

        // Data-parallel fit and sweeps on 1 and 2 MPI ranks (`make bench-scale-out`).
        .executableTarget(name: "BenchScaleOut", dependencies: ["Engine"], path: "Benchmarks/ScaleOut"),

        // The README demo's run timed stage by stage, with its accuracy (`make demo-feasibility`).
        .executableTarget(name: "DemoFeasibility", dependencies: ["Engine"], path: "Benchmarks/DemoFeasibility"),
    ]
)
