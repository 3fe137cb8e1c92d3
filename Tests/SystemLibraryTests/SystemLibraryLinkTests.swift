import CHDF5
import CMariaDB
import CPNG
import XCTest

/// The C libraries later stages build on are found through pkg-config and link, and the
/// shim accessors for HDF5's macros work.
final class SystemLibraryLinkTests: XCTestCase {
    func testHDF5VersionAndMacroShims() {
        var major: UInt32 = 0
        var minor: UInt32 = 0
        var release: UInt32 = 0
        XCTAssertEqual(H5get_libversion(&major, &minor, &release), 0)
        XCTAssertGreaterThanOrEqual(major * 100 + minor, 110)  // libhdf5 1.10 or newer
        XCTAssertGreaterThan(xr_H5T_NATIVE_DOUBLE(), 0)
        XCTAssertEqual(xr_H5F_ACC_RDONLY(), 0)
    }

    func testHDF5WritesAndReadsAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("xr-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = H5Fcreate(path, xr_H5F_ACC_TRUNC(), xr_H5P_DEFAULT(), xr_H5P_DEFAULT())
        XCTAssertGreaterThan(file, 0)
        var value = 12.4
        XCTAssertEqual(H5LTmake_dataset_double(file, "/energy", 0, nil, &value), 0)
        H5Fclose(file)
        let reopened = H5Fopen(path, xr_H5F_ACC_RDONLY(), xr_H5P_DEFAULT())
        var back = 0.0
        XCTAssertEqual(H5LTread_dataset_double(reopened, "/energy", &back), 0)
        H5Fclose(reopened)
        XCTAssertEqual(back, 12.4)
    }

    func testMariaDBClientLibrary() {
        XCTAssertFalse(String(cString: mysql_get_client_info()).isEmpty)
    }

    func testLibpngVersionMatchesHeader() {
        XCTAssertEqual(String(cString: png_get_libpng_ver(nil)), String(cString: xr_png_libpng_ver_string()))
    }
}
