import Engine
import XCTest

/// SpecAugment masks zero exactly the requested bands, and the random ones are reproducible.
final class SpecAugmentTests: XCTestCase {
    private let rows = 8, frames = 12
    private var ones: [Float] { [Float](repeating: 1, count: rows * frames) }

    func testRowAndFrameMasksZeroExactlyTheirBands() throws {
        var m = ones
        try SpecAugment.maskRows(&m, rows: rows, frames: frames, start: 2, width: 3)
        try SpecAugment.maskFrames(&m, rows: rows, frames: frames, start: 5, width: 4)
        for r in 0..<rows {
            for t in 0..<frames {
                let masked = (2..<5).contains(r) || (5..<9).contains(t)
                XCTAssertEqual(m[r * frames + t], masked ? 0 : 1, "row \(r) frame \(t)")
            }
        }
        XCTAssertEqual(m.filter { $0 == 0 }.count, 3 * frames + 4 * rows - 3 * 4)
        XCTAssertThrowsError(try SpecAugment.maskFrames(&m, rows: rows, frames: frames, start: 10, width: 3))
        XCTAssertThrowsError(try SpecAugment.maskRows(&m, rows: rows, frames: 5, start: 0, width: 1))
        XCTAssertThrowsMessage(try SpecAugment(maxRows: 1, maxFrames: 1, timeMasks: 1 << 40, seed: 0),
                               contains: ["at most 10000 masks", "1099511627776 time masks"])
        XCTAssertNoThrow(try SpecAugment(maxRows: 1, maxFrames: 1, frequencyMasks: SpecAugment.mostMasks, seed: 0))
    }

    func testRandomMasksAreReproducibleAndWithinBounds() throws {
        let masks = try SpecAugment(maxRows: 3, maxFrames: 4, frequencyMasks: 1, timeMasks: 1, value: -1, seed: 8)
        var widths = Set<Int>()
        for clip in 0..<20 {
            var a = ones, b = ones
            try masks.apply(to: &a, rows: rows, frames: frames, clip: clip)
            try masks.apply(to: &b, rows: rows, frames: frames, clip: clip)
            XCTAssertEqual(a, b)
            let fullRows = (0..<rows).filter { r in (0..<frames).allSatisfy { a[r * frames + $0] == -1 } }.count
            let fullFrames = (0..<frames).filter { t in (0..<rows).allSatisfy { a[$0 * frames + t] == -1 } }.count
            XCTAssertLessThanOrEqual(fullRows, 3)
            XCTAssertLessThanOrEqual(fullFrames, 4)
            widths.insert(fullFrames)
        }
        XCTAssertGreaterThan(widths.count, 1)
    }
}
