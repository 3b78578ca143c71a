import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport
import Foundation
import XCTest

/// Closed-form checks of the dB conversions and of the fast logarithm behind them.
final class DecibelTests: XCTestCase {
    func testFastLogMatchesLibmAcrossTheRange() {
        var worst: Double = 0
        var x: Float = 1e-30
        while x < 1e30 {
            worst = max(worst, abs(Double(FastLog.log10(x)) - Foundation.log10(Double(x))))
            x *= 1.0137
        }
        XCTAssertLessThan(worst * 10, 1e-4, "dB error of the fast log10")
    }

    func testPowerToDbReferenceFloorAndRoundTrip() throws {
        let power = try FeatureMatrix(rows: 1, columns: 4, values: [1, 0.1, 1e-12, 100])
        let db = try power.powerToDb(ref: .max, topDb: 80)
        for (value, expected) in zip(db.values, [-20, -30, -80, 0] as [Float]) { XCTAssertEqual(value, expected, accuracy: 1e-4) }
        let raw = try power.powerToDb(topDb: nil)
        XCTAssertEqual(raw.values[2], -100, accuracy: 1e-4, "amin 1e-10 clamps 1e-12")
        let back = raw.dbToPower()
        XCTAssertEqual(back.values[1], 0.1, accuracy: 1e-6)
        let amplitude = try FeatureMatrix(rows: 1, columns: 2, values: [1, 0.5])
        XCTAssertEqual(try amplitude.amplitudeToDb(ref: .value(2)).values[1], -12.0412, accuracy: 1e-3)
        XCTAssertEqual(try amplitude.amplitudeToDb().dbToAmplitude().values[1], 0.5, accuracy: 1e-6)
        XCTAssertThrowsError(try power.powerToDb(amin: 0))
        XCTAssertThrowsError(try power.powerToDb(topDb: -1))
        let infinite = try FeatureMatrix(rows: 1, columns: 2, values: [.infinity, 1])
        XCTAssertEqual(try infinite.powerToDb(topDb: nil).values[0], .infinity)
    }
}
