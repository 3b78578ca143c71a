import Runtime
import XCTest

final class VersionTests: XCTestCase {
    func testVersionIsSemantic() {
        let parts = SERScriptVersion.current.split(separator: ".")
        XCTAssertEqual(parts.count, 3)
        XCTAssertTrue(parts.allSatisfy { Int($0) != nil })
    }
}
