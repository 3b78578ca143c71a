import Engine
@testable import EngineTensor
@testable import EngineAudio
import Foundation
import XCTest

/// The process-wide stop request and its SIGINT handler.
final class InterruptionTests: XCTestCase {
    override func tearDown() {
        Interruption.clear()
        super.tearDown()
    }

    func testRequestConsumeAndClear() {
        Interruption.clear()
        XCTAssertFalse(Interruption.consume())
        Interruption.request()
        XCTAssertTrue(Interruption.isRequested)
        XCTAssertTrue(Interruption.consume())
        XCTAssertFalse(Interruption.isRequested, "consuming clears the request")
        Interruption.request()
        Interruption.clear()
        XCTAssertFalse(Interruption.isRequested)
    }

    func testSIGINTSetsTheFlagInsteadOfKillingTheProcess() {
        Interruption.clear()
        Interruption.installSIGINTHandler()
        raise(SIGINT)      // delivered synchronously to this thread's handler
        XCTAssertTrue(Interruption.consume())
    }
}
