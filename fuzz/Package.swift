// swift-tools-version: 6.0
// Fuzz targets for xtalreport's readers, built with libFuzzer (`swift build
// --sanitize=fuzzer`), in their own package so that the engine's `swift build` and
// `swift test` never build them. scripts/fuzz.sh makes the corpus with the project's own
// generator, builds this and runs each target for a bounded time (the test command runs
// it for 60 s each; longer runs: scripts/fuzz.sh --seconds 3600).
import PackageDescription

let package = Package(
    name: "xtalreport-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "xtalreport", path: "..")],
    targets: [
        .executableTarget(
            name: "xtalreport-fuzz",
            dependencies: [
                .product(name: "XtalCore", package: "xtalreport"),
                .product(name: "XtalIngest", package: "xtalreport"),
                .product(name: "XtalNexus", package: "xtalreport"),
                .product(name: "XtalMX", package: "xtalreport"),
                .product(name: "XtalMerge", package: "xtalreport"),
                .product(name: "XtalCluster", package: "xtalreport"),
            ],
            // libFuzzer provides main(); the target is the LLVMFuzzerTestOneInput function.
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]),
    ],
    swiftLanguageModes: [.v6]
)
