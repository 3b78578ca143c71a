import Engine
import Foundation
import XCTest

/// The committed librosa fixtures (Tests/Fixtures/librosa, written by its generate.py) and the
/// error measures the parity tests use.
enum LibrosaFixtures {
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests", url.path != "/" { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures/librosa").path
    }()

    static func path(_ file: String) -> String { directory + "/" + file }

    private static let expected: Result<SafeTensors, Error> = Result { try SafeTensors.read(path: path("expected.safetensors")) }

    /// librosa's array `name`, failing the test when it is missing.
    static func array(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> StoredTensor {
        guard let tensor = try expected.get().tensors[name] else {
            XCTFail("fixture \(name) is missing; re-run Tests/Fixtures/librosa/generate.py", file: file, line: line)
            throw AudioParameterError("fixture", "missing \(name)")
        }
        return tensor
    }

    /// librosa's 2-D array `name` as a FeatureMatrix.
    static func matrix(_ name: String) throws -> FeatureMatrix {
        let tensor = try array(name)
        guard tensor.shape.count == 2 else { throw AudioParameterError("fixture", "\(name) is not 2-D") }
        return try FeatureMatrix(rows: tensor.shape[0], columns: tensor.shape[1], values: tensor.values)
    }
}

/// ‖a − b‖ / ‖b‖.
func relativeRMS(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var difference = 0.0, reference = 0.0
    for i in a.indices {
        difference += pow(Double(a[i]) - Double(b[i]), 2)
        reference += pow(Double(b[i]), 2)
    }
    return (difference / max(reference, .leastNormalMagnitude)).squareRoot()
}

/// max |a − b|.
func maxAbsoluteError(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs(Double($0) - Double($1)) }.max() ?? 0
}

/// max |a − b| / |b| over the entries of `b` at least `floor · max(b)`. The default keeps power
/// values within 80 dB of the peak, the range power_to_db(top_db=80) keeps: below it the float32
/// FFT's rounding (≈ 1e-7 of a frame's energy) outweighs the value itself, while librosa's FFT runs
/// in float64. For magnitudes pass `floor: 1e-4` (also 80 dB).
func maxRelativeError(_ a: [Float], _ b: [Float], floor: Double = 1e-8) -> Double {
    precondition(a.count == b.count)
    let threshold = floor * Double(b.max() ?? 0)
    var worst = 0.0
    for i in a.indices where Double(b[i]) >= threshold && b[i] != 0 {
        worst = max(worst, abs(Double(a[i]) - Double(b[i])) / abs(Double(b[i])))
    }
    return worst
}

/// max |a − b| over the entries where `b ≥ max(b) − range`: dB values within `range` dB of the peak.
func maxAbsoluteErrorNearPeak(_ a: [Float], _ b: [Float], range: Float = 80) -> Double {
    precondition(a.count == b.count)
    let floor = (b.max() ?? 0) - range
    return a.indices.filter { b[$0] >= floor }.map { abs(Double(a[$0]) - Double(b[$0])) }.max() ?? 0
}

/// Every `step`-th column of `m`, the subsampling the generator uses to keep fixtures small.
func everyColumn(_ step: Int, of m: FeatureMatrix) throws -> FeatureMatrix {
    let picked = Swift.stride(from: 0, to: m.columns, by: step).map { $0 }
    var values: [Float] = []
    for r in 0..<m.rows { for c in picked { values.append(m.values[r * m.columns + c]) } }
    return try FeatureMatrix(rows: m.rows, columns: picked.count, values: values)
}
