import Foundation
import XCTest
import XtalCore
import XtalMerge
import XtalNexus
import XtalTestSupport

/// DIALS grouping YAMLs evaluated as `dials/util/image_grouping.py` does (merging.md §2.1).
final class DIALSGroupingYAMLTests: XCTestCase {
    func testSpecsIndexBasesAndGroups() throws {
        let folder = try TemporaryFolder()
        let arrays = folder.url.appendingPathComponent("values.h5").path
        try IntegerArrayFile.write([(path: "/chip/tp", values: [0, 0, 1, 1, 2, 2])], to: arrays)
        let yaml = try DIALSGroupingYAML.parse("""
            metadata:
              timepoint:
                '/data/chip1_master.h5': '\(arrays):/chip/tp'
                '/data/chip2_master.h5': 'repeat=2'
                '/data/chip3_master.h5': 'block=0:5:3'
                '/data/img_#####.cbf': 7.5
              wavelength:
                '/data/chip1_master.h5': 0.40
                '/data/chip2_master.h5': 0.405
                '/data/chip3_master.h5': 0.6
                '/data/img_#####.cbf': 0.6
            grouping:
              merge_by:
                values: [timepoint, wavelength]
                tolerances: [0, 0.01]
            """, path: folder.url.appendingPathComponent("g.yaml").path)
        XCTAssertEqual(yaml.issues, [])
        XCTAssertEqual(yaml.grouping, "merge_by")
        XCTAssertEqual(yaml.specs["/data/chip2_master.h5"], [.repeating(2), .constant(0.405)])
        // h5: the event's 0-based index; a template: the number in the file name; a file by its name alone.
        XCTAssertEqual(yaml.key(filename: "/data/chip1_master.h5", event: "//3")?.index, 3)
        XCTAssertEqual(yaml.key(filename: "chip2_master.h5", event: "//5")?.key, "/data/chip2_master.h5")
        XCTAssertEqual(yaml.key(filename: "/elsewhere/img_00012.cbf", event: "")?.index, 12)
        XCTAssertNil(yaml.key(filename: "/data/img_0012.cbf", event: ""))
        let images: [(key: String, index: Int)] = [
            ("/data/chip1_master.h5", 0), ("/data/chip1_master.h5", 3), ("/data/chip1_master.h5", 9),
            ("/data/chip2_master.h5", 5), ("/data/chip3_master.h5", 4), ("/data/img_#####.cbf", 1),
        ]
        let (values, problems) = yaml.values(of: images)
        XCTAssertEqual(values.map { $0 ?? [] }, [[0, 0.4], [1, 0.4], [], [1, 0.405], [1, 0.6], [7.5, 0.6]])
        XCTAssertEqual(problems, ["\(arrays):/chip/tp has 6 values; image 9 of /data/chip1_master.h5 has none"])
        let (groupOf, names, descriptions) = yaml.groups(of: values)
        // wavelength bins: [0.40, 0.405] (within 0.01) and 0.6; timepoint 0, 1, 7.5.
        XCTAssertEqual(names, ["group_1", "group_2", "group_3", "group_4"])
        XCTAssertEqual(groupOf, [0, 1, nil, 1, 2, 3])
        XCTAssertEqual(descriptions, ["timepoint=0, wavelength=0.4-0.405", "timepoint=1, wavelength=0.4-0.405",
                                      "timepoint=1, wavelength=0.6", "timepoint=7.5, wavelength=0.6"])
    }

    func testWhatCannotBeEvaluatedIsNamed() throws {
        let yaml = try DIALSGroupingYAML.parse("""
            metadata:
              dose:
                'a.h5': 'every=3'
                'b.h5': 'repeat=4'
              other:
                'b.h5': 1
            grouping:
              split_by:
                values: [dose, other]
            """, path: "/tmp/g.yaml")
        XCTAssertEqual(yaml.grouping, "split_by")
        XCTAssertEqual(yaml.keys, ["b.h5"])
        XCTAssertEqual(yaml.issues.map(\.reason), [
            "metadata 'dose' of a.h5: 'every=3' is not a constant, repeat=n, block=first:last:n or FILE:/dataset",
        ])
        XCTAssertThrowsError(try DIALSGroupingYAML.parse("metadata: 3\ngrouping: {}\n", path: "x.yaml"))
        // A key that is a list (Yams.load traps on it: found by the fuzzer) is passed over.
        let complex = try DIALSGroupingYAML.parse(
            "metadata:\n  tp:\n    'a.h5': 'repeat=2'\n    ? [x, y]\n    : 1\n? [k]\n: v\ngrouping:\n  merge_by:\n    values: [tp]\n", path: "c.yaml")
        XCTAssertEqual(complex.keys, ["a.h5"])
        XCTAssertEqual(complex.specs["a.h5"], [.repeating(2)])
        // A quoted number goes through the text rules and is read as the number.
        XCTAssertEqual(try DIALSGroupingYAML.parse("metadata:\n  tp:\n    'a.h5': '0.5'\ngrouping:\n  merge_by:\n    values: [tp]\n", path: "q.yaml").specs["a.h5"], [.constant(0.5)])
        XCTAssertThrowsError(try DIALSGroupingYAML.parse("metadata: {a: [\n", path: "y.yaml"))
        let missing = try DIALSGroupingYAML.parse("metadata:\n  tp:\n    'a.h5': 1\ngrouping:\n  merge_by:\n    values: [tp, wl]\n", path: "z.yaml")
        XCTAssertEqual(missing.issues.map(\.reason).first, "metadata 'wl' of grouping 'merge_by' is not given")
    }
}
