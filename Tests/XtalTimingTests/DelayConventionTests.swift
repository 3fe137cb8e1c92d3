import XCTest
import XtalCore

@testable import XtalTiming

/// delay = t(probe start) − t(pump start), whatever the source's sign convention
/// (shared/docs/time-resolved.md §2.3).
final class DelayConventionTests: XCTestCase {
    func chain(laserOffset: Double, convention: DelayConvention, shots: Double = 1, exposure: Double = 0.01) -> EventChain {
        EventChain(
            name: "t",
            events: [
                TimingEvent(type: .xrayDetection, name: "Xray probe", offset: 0, duration: exposure, period: exposure, repetition: shots),
                TimingEvent(type: .laserExcitation, name: "Laser probe", offset: laserOffset, duration: 0.005, repetition: 1),
            ], convention: convention)
    }

    func testI24FixedTargetNegativeOffsetIsAPositiveDelay() {
        // mx-bluesky: fixed target writes −laser_delay_s ("pump then probe").
        let timeline = ChainTimeline(chain(laserOffset: -0.5, convention: .i24FixedTarget))
        XCTAssertEqual(timeline.nominalDelay(dosePoint: 0)!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(ChainTimeline(chain(laserOffset: -0.5, convention: .ispyb)).nominalDelay(dosePoint: 0)!, 0.5, accuracy: 1e-12)
    }

    func testI24ExtruderPositiveOffsetIsAPositiveDelay() {
        // The extruder writes +laser_delay_s although the laser fires first.
        let timeline = ChainTimeline(chain(laserOffset: 0.008, convention: .i24Extruder))
        XCTAssertEqual(timeline.nominalDelay(dosePoint: 0)!, 0.008, accuracy: 1e-12)
    }

    func testShort2PumpDuringTheExposureIsANegativeDelay() {
        // "Short 2": +laser_delay_s on the fixed-target clock, the pump fires during the exposure.
        let timeline = ChainTimeline(chain(laserOffset: 0.002, convention: .i24FixedTarget))
        XCTAssertEqual(timeline.nominalDelay(dosePoint: 0)!, -0.002, accuracy: 1e-12)
    }

    func testDoseSeriesDelaysGrowByTheProbePeriod() {
        // The worked example of time-resolved.md §8: 3 shots, 0.5 s delay, 10 ms exposures.
        let timeline = ChainTimeline(chain(laserOffset: -0.5, convention: .ispyb, shots: 3))
        XCTAssertEqual(timeline.shotsPerPosition, 3)
        for (k, expected) in [0.50, 0.51, 0.52].enumerated() {
            XCTAssertEqual(timeline.nominalDelay(dosePoint: k)!, expected, accuracy: 1e-12)
        }
    }

    func testARepeatedPumpTimesEachProbeFromTheLatestPump() {
        var c = chain(laserOffset: -0.001, convention: .ispyb, shots: 4, exposure: 0.01)
        c.events[1].period = 0.02
        c.events[1].repetition = 2
        let timeline = ChainTimeline(c)
        // Pumps at −1 ms and 19 ms; probes at 0, 10, 20, 30 ms.
        let delays = (0..<4).map { timeline.nominalDelay(dosePoint: $0)! }
        for (got, expected) in zip(delays, [0.001, 0.011, 0.001, 0.011]) { XCTAssertEqual(got, expected, accuracy: 1e-12) }
    }

    func testNoPumpNoDelay() {
        let c = EventChain(name: "dose", events: [TimingEvent(type: .xrayDetection, offset: 0, period: 0.01, repetition: 5)])
        XCTAssertNil(ChainTimeline(c).nominalDelay(dosePoint: 2))
        XCTAssertEqual(c.shotsPerPosition, 5)
    }

    func testLabelsHaveNoSpacesAndReadableUnits() {
        XCTAssertEqual(TimePointLabel.light(delay: 0.00001), "light_10us")
        XCTAssertEqual(TimePointLabel.light(delay: 0.0015), "light_1.5ms")
        XCTAssertEqual(TimePointLabel.light(delay: 0.5), "light_500ms")
        XCTAssertEqual(TimePointLabel.light(delay: 2), "light_2s")
        XCTAssertEqual(TimePointLabel.light(delay: -0.002), "light_minus2ms")
        XCTAssertEqual(TimePointLabel.light(delay: 5e-9), "light_5ns")
        XCTAssertEqual(TimePointLabel.light(delay: nil), "light")
        XCTAssertEqual(TimePointLabel.dark(dosePoint: 1, shotsPerPosition: 3), "dark_dose_2")
        XCTAssertEqual(TimePointLabel.dose(0), "dose_1")
    }
}
