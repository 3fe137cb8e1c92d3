#if canImport(Glibc)
    import Glibc
#endif
import Foundation
import XtalCluster
import XtalCore
@testable import XtalIngest
import XtalMerge
import XtalMX
import XtalNexus

/// The fuzz target libFuzzer calls with each input; `XTALREPORT_FUZZ_TARGET` chooses what
/// reads it: `stream`, `manifest`, `log`, `master`, `mx` (rotation-MX results and per-image
/// files, by content) or `task` (a cluster task's result, a plan, a kept master-file read). A reader may reject any input with
/// an error; it must never crash, hang or allocate without bound, and the stream reader's
/// segmented and decompressed reads must agree with its sequential read (a difference
/// aborts, and libFuzzer keeps the input).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    switch FuzzInput.target {
    case "stream": FuzzInput.stream(bytes)
    case "manifest": FuzzInput.withFile(bytes, name: "manifest.yaml") { _ = try? LoadedManifest.load(path: $0) }
    case "log":
        // The line-based files of the peers: indexamajig's log, partialator's log and its
        // --custom-split file, check_hkl/compare_hkl shell files and output, and the whole
        // reading of a peer's merge by content with its checks (against an empty ledger).
        FuzzInput.withFile(bytes, name: "run.log") {
            _ = try? IndexamajigLog.read(path: $0)
            _ = try? PartialatorLog.read(path: $0)
            _ = try? CustomSplitFile.read(path: $0)
            _ = try? HKLShellFile.read(path: $0)
            _ = try? HKLToolOutput.read(path: $0)
            let spec = MergeDatasetSpec(name: "m", kind: .manifest, runs: ["r"], laser: "light")
            let ledger = [LedgerRun(name: "r", images: ImageTable(), timePointOfImage: nil, timePoints: [])]
            _ = PeerMerge.read(dataset: "m", files: [$0], base: nil, ledger: PeerMerge.Ledger(
                runs: ledger, selection: spec, lineage: MergeLedger.lineage(specs: [spec], runs: ledger, merged: [0])[0]))
        }
    case "mx": FuzzInput.withFile(bytes, name: "result") { _ = try? MXResultFile.read(path: $0) }
    case "task":
        // A cluster task's result as reduce reads it (the checksum is skipped, so that the
        // decoding itself is reached), and the same bytes as a plan.
        FuzzInput.withFile(bytes, name: "task-0.result") {
            if let contents = try? TaskResultFile.read(path: $0, spill: ReflectionSpill(), files: 4, verify: false) {
                _ = try? ParsedStream(pieces: contents.pieces.map(\.piece), path: $0, options: StreamReadOptions()).joined()
            }
            // As the cache reads an entry: blocks in place in a reflections file (the same
            // bytes here), each read back.
            if let inPlace = try? ReflectionSpill.existing(file: $0),
                let contents = try? TaskResultFile.read(path: $0, spill: ReflectionSpill(), files: 4, verify: false, reflectionsInPlace: inPlace)
            {
                let joined = try? ParsedStream(pieces: contents.pieces.map(\.piece), path: $0, options: StreamReadOptions()).joined()
                try? joined?.reflections.forEachBlock { _, _ in }
            }
            _ = try? ClusterPlan.read(path: $0)
            // And as a kept master-file read (`cache/KEY.master`).
            _ = MasterFileCache.readEntry($0, masterFile: $0, verify: false)
        }
    case "master":
        // Through the isolation the job uses: a crash of libhdf5 in the child is an answer,
        // a crash of this process is a bug of the engine's.
        FuzzInput.withFile(bytes, name: "run_master.h5") { _ = try? NexusMasterReader.read(path: $0) }
    default:
        FileHandle.standardError.write(Data("xtalreport-fuzz: set XTALREPORT_FUZZ_TARGET to stream, manifest, log, master, mx or task\n".utf8))
        exit(64)
    }
    return 0
}

enum FuzzInput {
    static let target: String = {
        // Master files are read by `xtalreport read-master` children, as in a job.
        if let binary = ProcessInfo.processInfo.environment["XTALREPORT_BINARY"] {
            // A read libhdf5 cannot finish is stopped by the isolation's time limit: 5 s
            // here, so that the child's answer comes before libFuzzer's 10 s timeout
            // (the job's own limit is 60 s).
            var settings = IsolatedMasterReader.Settings(executable: binary)
            settings.timeLimit = 5
            IsolatedMasterReader.configure(settings)
        }
        return ProcessInfo.processInfo.environment["XTALREPORT_FUZZ_TARGET"] ?? ""
    }()
    /// A folder of this process's own for the input files (readers take paths).
    static let folder: String = {
        let path = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/xtalreport-fuzz-\(getpid())"
        mkdir(path, 0o700)
        return path
    }()

    static func withFile(_ bytes: UnsafeRawBufferPointer, name: String, _ body: (String) -> Void) {
        let path = folder + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(path)") }
        guard bytes.isEmpty || writeAll(to: fd, bytes) == 0 else { fatalError("cannot write \(path)") }
        close(fd)
        body(path)
    }

    /// Sequential, segmented (two workers, segments of 256 bytes) and, for gzip or zstd
    /// input, decompressed reads (pieces of 512 bytes; zstd frames and BGZF member runs of
    /// up to 4 KiB decoded in parallel, larger ones streamed), in statistics and reflection mode
    /// by the input's length; the segmented read must equal the sequential one.
    static func stream(_ bytes: UnsafeRawBufferPointer) {
        var options = StreamReadOptions(parsePeakLists: bytes.count % 2 == 0, parseReflections: bytes.count % 3 == 0)
        options.maxIssuesListed = 50
        if StreamCompression.detect(bytes) != nil {
            withFile(bytes, name: "run.stream.gz") { path in
                guard let file = try? MappedFile(path: path), let compression = StreamCompression.detect(file.bytes) else { return }
                // One worker decodes on one thread; two decode a file of frames or BGZF
                // members several parts at a time: the results must agree.
                let reads = [1, 2].map { workers in
                    options.workers = workers
                    let queue = WorkQueue(workers: workers)
                    defer { queue.close() }
                    return try? DecompressedPieces.schedule(
                        file, compression: compression, options: options, on: queue, progress: nil,
                        sizes: .init(piece: 512, longestWithoutChunkLine: 4096, largestFrame: 4096)
                    ).wait().joined()
                }
                compare(reads[0], reads[1], "the parallel decoding differs from the one-thread decoding")
            }
            return
        }
        let sequential = StreamSegments.read(bytes, path: "fuzz", options: options, workers: 1, progress: nil)
        let segmented = StreamSegments.read(bytes, path: "fuzz", options: options, workers: 2, minimumSegmentBytes: 256, progress: nil)
        compare(sequential, segmented, "segmented read differs from the sequential one")
    }

    /// Aborts, so that libFuzzer keeps the input, when two reads of it differ in what they
    /// counted (or one failed and the other did not).
    static func compare(_ first: StreamReadResult?, _ second: StreamReadResult?, _ what: String) {
        let a = first.map(counts), b = second.map(counts)
        if a != b {
            FileHandle.standardError.write(Data("\(what): \(a.map { "\($0)" } ?? "failed") vs \(b.map { "\($0)" } ?? "failed")\n".utf8))
            abort()
        }
    }

    static func counts(_ read: StreamReadResult) -> [Int] {
        [read.images.count, read.crystals.count, read.malformedChunks, read.incompleteChunks, read.lines, read.strayLines,
         read.issues.count + read.issuesNotListed, read.reflections.count, read.bytes, read.compressed?.damaged == true ? 1 : 0]
    }
}
