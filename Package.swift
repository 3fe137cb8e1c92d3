// swift-tools-version: 6.0
// xtalreport: a batch engine for serial (SSX) and rotation (MX) crystallography results.
import PackageDescription

let package = Package(
    name: "xtalreport",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "xtalreport", targets: ["xtalreport"]),
        .library(name: "XtalCore", targets: ["XtalCore"]),
        .library(name: "XtalIngest", targets: ["XtalIngest"]),
        .library(name: "XtalNexus", targets: ["XtalNexus"]),
        .library(name: "XtalExample", targets: ["XtalExample"]),
        .library(name: "XtalMerge", targets: ["XtalMerge"]),
        .library(name: "XtalMX", targets: ["XtalMX"]),
        .library(name: "XtalCluster", targets: ["XtalCluster"]),
        .library(name: "XtalCLI", targets: ["XtalCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
    ],
    targets: [
        // System libraries from Debian's -dev packages, reached through pkg-config.
        .systemLibrary(
            name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
            providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(
            name: "CMariaDB", path: "Sources/CMariaDB", pkgConfig: "libmariadb",
            providers: [.apt(["libmariadb-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CCairo", path: "Sources/CCairo", pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]),
        .systemLibrary(
            name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(
            name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]),

        // The engine, one stage per module (see docs/architecture.md).
        .target(name: "XtalCore"),
        .target(name: "XtalIngest", dependencies: ["XtalCore", "XtalNexus", "XtalMX", "CZlib", "CZstd", .product(name: "Yams", package: "Yams")]),
        .target(name: "XtalNexus", dependencies: ["XtalCore", "CHDF5"]),
        .target(name: "XtalTiming", dependencies: ["XtalCore", "XtalNexus", "XtalMerge"]),
        .target(name: "XtalMerge", dependencies: ["XtalCore", "XtalMX", "XtalNexus", .product(name: "Yams", package: "Yams")]),
        .target(name: "XtalMX", dependencies: ["XtalCore"]),
        .target(name: "XtalCluster", dependencies: ["XtalCore", "XtalIngest", "XtalNexus", "CZlib"]),
        .target(name: "XtalStore", dependencies: ["XtalCore", "CMariaDB", "CSQLite"]),
        .target(
            name: "XtalReport",
            dependencies: [
                "XtalCore", "CPNG", "CCairo", .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .target(name: "XtalExample", dependencies: ["XtalCore", "XtalIngest", "XtalNexus"]),
        .target(
            name: "XtalCLI",
            dependencies: [
                "XtalCore", "XtalIngest", "XtalNexus", "XtalTiming", "XtalMerge", "XtalMX", "XtalStore", "XtalReport",
                "XtalExample", "XtalCluster", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "xtalreport", dependencies: ["XtalCLI"]),

        // Helpers shared by the test targets (locating ../shared, temporary folders).
        .target(name: "XtalTestSupport", dependencies: [], path: "Tests/XtalTestSupport"),
        .testTarget(name: "XtalClusterTests", dependencies: ["XtalCluster", "XtalIngest", "XtalExample", "XtalTestSupport"]),
        .testTarget(name: "XtalCoreTests", dependencies: ["XtalCore", "XtalTestSupport"]),
        .testTarget(name: "XtalIngestTests", dependencies: ["XtalIngest", "XtalExample", "XtalTestSupport"]),
        .testTarget(
            name: "XtalNexusTests", dependencies: ["XtalNexus", "XtalExample", "XtalTestSupport"],
            exclude: ["nexgen"]),  // the nexgen layout generator script (python), not Swift
        .testTarget(
            name: "XtalReportTests", dependencies: ["XtalReport", "XtalIngest", "XtalExample", "XtalTestSupport", "CPNG"]),
        .testTarget(
            name: "XtalTimingTests",
            dependencies: [
                "XtalTiming", "XtalMerge", "XtalIngest", "XtalNexus", "XtalExample", "XtalTestSupport",
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "XtalStoreTests",
            dependencies: ["XtalStore", "XtalIngest", "XtalExample", "XtalTiming", "XtalTestSupport", "xtalreport"]),
        .testTarget(name: "XtalMXTests", dependencies: ["XtalMX", "XtalCore", "XtalTestSupport"]),
        .testTarget(name: "XtalMergeTests", dependencies: ["XtalMerge", "XtalCore", "XtalIngest", "XtalNexus", "XtalExample", "XtalTestSupport"]),
        .testTarget(name: "SystemLibraryTests", dependencies: ["CHDF5", "CMariaDB", "CPNG"]),
        .testTarget(
            name: "XtalCLITests",
            dependencies: ["XtalCLI", "XtalIngest", "XtalExample", "XtalTestSupport", "xtalreport"]),
    ],
    swiftLanguageModes: [.v6]
)
