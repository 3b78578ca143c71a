import EngineFormats
import EngineTensor

/// A 2-D feature array in librosa's orientation: rows are bins or coefficients, columns are frames,
/// values row-major (`values[row · columns + column]`). Spectrograms, mel, MFCC and frame features
/// all come back as this.
public struct FeatureMatrix: Equatable, Sendable {
    /// Bins or coefficients.
    public internal(set) var rows: Int
    /// Frames.
    public internal(set) var columns: Int
    /// Row-major values, `rows · columns` of them (read-only outside the Engine so the shape holds).
    public internal(set) var values: [Float]

    /// Wraps row-major `values`; throws when their count is not `rows · columns`.
    public init(rows: Int, columns: Int, values: [Float]) throws {
        guard rows >= 0, columns >= 0, values.count == rows * columns else {
            throw AudioParameterError("FeatureMatrix", "\(values.count) values do not fill \(rows) × \(columns)")
        }
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A `rows × columns` matrix of zeros.
    public init(zerosRows rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        self.values = [Float](repeating: 0, count: self.rows * self.columns)
    }

    /// `[rows, columns]`, as numpy would print the shape.
    public var shape: [Int] { [rows, columns] }

    /// The values of one row (one bin or coefficient across all frames); empty when out of range.
    public func row(_ index: Int) -> [Float] {
        guard index >= 0, index < rows else { return [] }
        return Array(values[index * columns..<(index + 1) * columns])
    }

    /// The values of one column (one frame); empty when out of range.
    public func column(_ index: Int) -> [Float] {
        guard index >= 0, index < columns else { return [] }
        return (0..<rows).map { values[$0 * columns + index] }
    }

    /// Columns `range` as a new matrix; throws when the range leaves the matrix.
    public func columns(_ range: Range<Int>) throws -> FeatureMatrix {
        guard range.lowerBound >= 0, range.upperBound <= columns else {
            throw AudioParameterError("FeatureMatrix.columns", "range \(range) is outside 0..<\(columns)")
        }
        var out = FeatureMatrix(zerosRows: rows, columns: range.count)
        for r in 0..<rows {
            out.values.replaceSubrange(r * range.count..<(r + 1) * range.count,
                                       with: values[r * columns + range.lowerBound..<r * columns + range.upperBound])
        }
        return out
    }
}
