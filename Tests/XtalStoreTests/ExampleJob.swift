import Foundation
import XtalCore
import XtalExample
import XtalIngest
import XtalStore
import XtalTestSupport
import XtalTiming

/// The example experiment ingested and timed in-process, ready for `ResultStore.write`.
struct ExampleJob {
    let folder: TemporaryFolder
    let manifest: LoadedManifest
    let job: StoreJob

    init(images: Int = 300, sample: String = "lyso-microcrystals", visit: String? = "mx2427-1") throws {
        folder = try TemporaryFolder()
        let written = try ExampleExperiment(totalImages: images, seed: 11).write(to: folder.path)
        manifest = try LoadedManifest.load(path: written.manifestPath)
        var runs: [StoreJob.Run] = []
        for run in manifest.manifest.runs {
            let input = RunInput(
                name: run.name, streams: run.results.map(manifest.resolve), indexamajigLog: run.indexamajigLog.map(manifest.resolve),
                master: run.master.map(manifest.resolve), eventChain: manifest.eventChain(for: run))
            var ingested = try RunIngestor.ingest(input)
            if let selection = ChainSelection.select(manifest: input.eventChain, metadata: ingested.results.metadata) {
                ingested.results.timeResolved = TimeResolvedAnalysis.analyse(
                    run: run.name, selection: selection, images: ingested.images, crystals: ingested.crystals,
                    accumulator: ingested.accumulator
                ).results
            }
            let frames = FrameIndices.resolve(ingested.images, limit: ingested.accumulator.imagesCollected).index
            runs.append(
                StoreJob.Run(
                    results: ingested.results, images: ingested.images, crystals: ingested.crystals, frameIndex: frames,
                    master: input.master, dataCollectionId: nil, eventChain: input.eventChain))
        }
        job = StoreJob(
            experiment: manifest.manifest.experiment, visit: visit,
            sample: SampleInfo(name: sample, protein: "lysozyme", support: "chip"), components: [],
            outputDirectory: folder.url.appendingPathComponent("out").path, summaryFile: nil, commandLine: "test", runs: runs)
    }

    /// Rows per table, for comparing two stores of the same job.
    static let countedTables = [
        "DataCollectionGroup", "DataCollection", "SSXDataCollection", "EventChain", "Event", "AutoProcProgram",
        "AutoProcProgramAttachment", "AutoProcIntegration", "AutoProc", "ImageQualityIndicators", "XtalReportRun",
        "XtalReportHistogram", "XtalReportTimePoint", "XtalReportLightDark", "AutoProcScaling", "AutoProcScalingStatistics",
        "AutoProcScaling_has_Int", "XtalReportMergedDataset",
    ]
}
