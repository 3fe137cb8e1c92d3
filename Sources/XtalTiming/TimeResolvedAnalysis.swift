import XtalCore

/// The timing stage for one run: resolve frame indices, derive the per-image table,
/// reduce per time point.
public enum TimeResolvedAnalysis {
    /// Times a run. `accumulator` is the run's (its `imagesCollected` sets the number of
    /// frames); `frameStart` are the master file's per-frame start times, if any.
    public static func analyse(
        run name: String, selection: ChainSelection, images: ImageTable, crystals: CrystalTable,
        accumulator: StatisticsAccumulator, frameStart: [Double]? = nil
    ) -> TimedRun {
        let collected = max(accumulator.imagesCollected, images.count)
        let frames = FrameIndices.resolve(images, limit: collected)
        var notes = selection.notes
        if collected > images.count, frames.basis == "stream order" {
            notes.append(
                "\(collected - images.count) image(s) are not in the stream and the chunks carry no usable event or serial number: the pattern is applied in stream order")
        }
        let timing = ImageTimingDeriver(chain: selection.chain, delayUnknownReason: selection.delayUnknownReason)
            .derive(images: images, collected: collected, frames: frames, frameStart: frameStart)
        return TimePointReducer.reduce(
            run: name, timing: timing, chain: selection.chain, images: images, crystals: crystals,
            runAccumulator: accumulator, notes: notes)
    }
}
