import Benchmark
import Foundation
import XtalCore
import XtalExample
import XtalIngest

/// Stream ingest and the statistics core on a generated example (about 35 MB of stream,
/// 20,000 images). The baseline in the same run is a plain `memchr` line count over the
/// same mapped bytes: the `wc -l` of this process.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .peakMemoryResident],
        maxDuration: .seconds(10), maxIterations: 20)

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xtalreport-bench")
    let written = try! ExampleExperiment(totalImages: 20_000, seed: 1).write(to: folder.path)
    let stream = written.streams[0]
    let file = try! MappedFile(path: stream)

    Benchmark("baseline: line count (memchr)") { benchmark in
        for _ in benchmark.scaledIterations {
            var lines = 0
            var p = file.bytes.baseAddress!
            let end = p + file.bytes.count
            while let nl = memchr(p, 0x0A, end - p) {
                lines += 1
                p = UnsafeRawPointer(nl) + 1
            }
            blackHole(lines)
        }
    }

    Benchmark("stream ingest, statistics mode") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(CrystFELStreamReader.read(bytes: file.bytes, path: stream).images.count)
        }
    }

    Benchmark("stream ingest, peak lists parsed") { benchmark in
        for _ in benchmark.scaledIterations {
            let options = StreamReadOptions(parsePeakLists: true)
            blackHole(CrystFELStreamReader.read(bytes: file.bytes, path: stream, options: options).images.count)
        }
    }

    let read = CrystFELStreamReader.read(bytes: file.bytes, path: stream)
    Benchmark("statistics core: accumulate + finalize") { benchmark in
        for _ in benchmark.scaledIterations {
            var acc = StatisticsAccumulator()
            acc.add(images: read.images, crystals: read.crystals)
            blackHole(acc.finalize())
        }
    }

    // The statistics core at ten million images (tables made directly; see SyntheticTables).
    let big = SyntheticTables.make(images: 10_000_000)
    Benchmark("baseline: one pass over the 10M-image columns", configuration: .init(maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            var total = 0.0
            for v in big.images.numPeaks { total += Double(v) }
            for v in big.images.peakResolution where v.isFinite { total += Double(v) }
            for column in big.crystals.cellColumns { for v in column { total += Double(v) } }
            blackHole(total)
        }
    }
    Benchmark("statistics core, 10M images: accumulate + finalize", configuration: .init(maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            var acc = StatisticsAccumulator()
            acc.add(images: big.images, crystals: big.crystals)
            blackHole(acc.finalize())
        }
    }
}
