import XCTest
import Engine
@testable import EngineFormats
@testable import EngineTensor
@testable import EngineNN
@testable import EngineAudio
@testable import EngineData
@testable import EngineTrain
@testable import EngineReport

final class TextFormatsTests: XCTestCase {
    func testCSVQuotesOnlyWhenNeeded() {
        XCTAssertEqual(CSV.line(["a", "b,c", "say \"hi\"", "x\ny"]), "a,\"b,c\",\"say \"\"hi\"\"\",\"x\ny\"\n")
        XCTAssertEqual(CSV.number(3), "3")
        XCTAssertEqual(CSV.number(0.25), "0.25")
        XCTAssertEqual(CSV.number(.nan), "nan")
    }

    func testJSONEncodingIsDeterministicAndRoundTrips() throws {
        let value: JSONValue = ["b": [1, 2.5, "x\"y"], "a": true, "c": .null, "d": ["nested": 1e-3]]
        XCTAssertEqual(value.encoded(), "{\"a\":true,\"b\":[1,2.5,\"x\\\"y\"],\"c\":null,\"d\":{\"nested\":0.001}}")
        XCTAssertEqual(try JSONValue.parse(value.encoded()), value)
        XCTAssertEqual(try JSONValue.parse(value.encoded(pretty: true)), value)
        XCTAssertEqual(JSONValue.number(.infinity).encoded(), "null")
        // Every double must come back bit for bit (JSONSerialization on Linux drops the last digit).
        for number in [0.43871090809504193, 1.0 / 3.0, 6.02214076e23, -2.2250738585072014e-308] {
            XCTAssertEqual(try JSONValue.parse(JSONValue.number(number).encoded()), .number(number))
        }
        XCTAssertThrowsError(try JSONValue.parse("{\"a\": }"))
        XCTAssertTrue(value.encoded(pretty: true).contains("\n  \"b\": [\n    1,"))
    }

    func testTextTablePadsAndAligns() {
        let table = TextTable(header: ["name", "n"], rows: [["alpha", "1"], ["b", "100"]])
        XCTAssertEqual(table.description, "name     n\n-----  ---\nalpha    1\nb      100")
    }
}
