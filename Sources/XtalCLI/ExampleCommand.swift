import ArgumentParser
import Foundation
import XtalExample

/// `xtalreport example DIR`: writes a synthetic SSX experiment to try the engine on.
struct ExampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "example",
        abstract: "Write a realistic synthetic experiment (3 SSX chip runs with CrystFEL 0.11 streams and logs, a rotation run, a manifest).",
        discussion: """
            The runs differ in hit rate; run03 is a pump-probe run with an interleaved \
            header/int//entry/data/laser_on flag, written with --no-non-hits-in-stream so its \
            image count comes from its indexamajig log. Chunks are slightly out of order, as \
            with several indexamajig workers. Large --images values stream to disk.

            The rotation run (folder rot01/: 1800 images of 0.1°) is what a processing \
            pipeline leaves: its NXmx master file, an ISPyB AutoProcContainer XML from a \
            fictitious pipeline, a Dozor log and DIALS per-image analysis. \
            --no-rotation-run leaves it out.

            Then: xtalreport run DIR/manifest.yaml
            """)

    @Argument(help: ArgumentHelp("Folder to write into (created if needed).", valueName: "DIR"))
    var directory: String

    @Option(help: "Images in the whole experiment, split over the three runs.")
    var images = 6000

    @Option(help: "Random seed: the same seed gives the same files.")
    var seed: UInt64 = 1

    @Flag(name: .customLong("no-rotation-run"), help: "Write the three SSX runs only.")
    var noRotationRun = false

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        guard images >= 3 else { throw ValidationError("--images must be at least 3 (one per run)") }
    }

    func run() throws {
        let generator = ExampleExperiment(totalImages: images, seed: seed, rotationRun: !noRotationRun)
        do {
            let written = try generator.write(to: directory) { path in
                if !outputOptions.quiet { Console.info("writing \(path)") }
            }
            Console.print("Example experiment written to \(written.manifestPath)")
            Console.print("Next: xtalreport run \(written.manifestPath)")
        } catch let error as ExampleWriteError {
            throw fail(error.description, ExitStatus.cannotWriteOutput)
        }
    }
}
