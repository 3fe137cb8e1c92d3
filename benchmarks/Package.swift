// swift-tools-version: 6.1
// Benchmarks for xtalreport, kept in their own package so that `swift build` and
// `swift test` of the engine do not build the benchmark harness. Run from this folder:
//   swift package benchmark
// `line-count-floor` is a plain executable that ingest-throughput.sh times beside `wc -l`.
import PackageDescription

let package = Package(
    name: "xtalreport-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "xtalreport", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "StreamIngest",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "XtalCore", package: "xtalreport"),
                .product(name: "XtalIngest", package: "xtalreport"),
                .product(name: "XtalExample", package: "xtalreport"),
            ],
            path: "Benchmarks/StreamIngest",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "MergeCore",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "XtalCore", package: "xtalreport"),
                .product(name: "XtalMerge", package: "xtalreport"),
                .product(name: "XtalExample", package: "xtalreport"),
            ],
            path: "Benchmarks/MergeCore",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The memory-and-kernel floor of reading a mapped file (see its header comment).
        .executableTarget(name: "line-count-floor", path: "LineCountFloor"),
    ],
    swiftLanguageModes: [.v6]
)
