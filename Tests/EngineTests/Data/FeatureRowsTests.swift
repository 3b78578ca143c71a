import XCTest
import Engine
@testable import EngineData

final class FeatureRowsTests: XCTestCase {
    /// Three rows of shape [1, 2, 3] with values that differ per row and position.
    private func makeRows() throws -> Tensor { try Tensor(shape: [3, 1, 2, 3], values: (0..<18).map { Float($0 * $0 % 11) }) }

    func testScaledRowsHaveZeroMeanAndUnitSpreadPerPosition() throws {
        let rows = try makeRows()
        let scaler = try StandardScaler(fitting: FeatureRows.rows(of: rows), mode: .perPosition)
        let scaled = try FeatureRows.scaled(rows, by: scaler)
        XCTAssertEqual(scaled.shape, rows.shape)
        let values = scaled.values
        for position in 0..<6 {
            let column = (0..<3).map { Double(values[$0 * 6 + position]) }
            let mean = column.reduce(0, +) / 3
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 3
            XCTAssertEqual(mean, 0, accuracy: 1e-6)
            XCTAssertTrue(abs(variance - 1) < 1e-5 || variance == 0, "position \(position): variance \(variance)")
        }
        let other = try Tensor(shape: [2, 6], values: [Float](repeating: 0, count: 12))
        XCTAssertThrowsMessage(try FeatureRows.scaled(other, by: scaler), contains: ["[1, 2, 3]", "[6]"])
    }

    func testSpecAugmentedCopiesKeepOriginalsAndMaskTheirCopies() throws {
        let rows = try makeRows()
        let spec = try SpecAugment(maxRows: 2, maxFrames: 3, frequencyMasks: 2, timeMasks: 2, value: -1, seed: 5)
        let copies = [FeatureRows.Copy(source: 2), FeatureRows.Copy(source: 0, mask: (spec, 0, 0))]
        let out = try FeatureRows.specAugmented(rows, copies: copies)
        XCTAssertEqual(out.shape, [2, 1, 2, 3])
        XCTAssertEqual(Array(out.values[0..<6]), Array(rows.values[12..<18]), "an unmasked copy is the source row")
        var expected = Array(rows.values[0..<6])
        try spec.apply(to: &expected, rows: 2, frames: 3, clip: 0, copy: 0)
        XCTAssertEqual(Array(out.values[6..<12]), expected)
        XCTAssertNotEqual(expected, Array(rows.values[0..<6]), "the mask changed something")
    }
}
