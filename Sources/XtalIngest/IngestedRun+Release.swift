import XtalCore

extension IngestedRun {
    /// What the later stages of a job still read of a run once it is timed and stored.
    public enum KeptTables: Sendable {
        /// Nothing per image: the job neither merges nor times the run.
        case none
        /// Each crystal's image, and nothing per image: `stats --merge`.
        case crystalImages
        /// Each crystal's image and each image's identity, hit and crystal count: what the
        /// split files, the merge ledger and the checks of a facility's merge read.
        case imageIdentities
    }

    /// Lets the run's per-image tables leave memory (issue 19: a run's tables must not wait
    /// in memory for the runs after it). The results, the accumulator (its counts; a job
    /// lets its samples go once combined) and the reflections stay; of the tables only what
    /// `kept` names, in the same rows.
    public mutating func releaseTables(keeping kept: KeptTables) {
        var lean = ImageTable()
        if kept == .imageIdentities {
            lean.serial = images.serial
            lean.hit = images.hit
            lean.crystalCount = images.crystalCount
            lean.filenames = images.filenames
            lean.events = images.events
        }
        images = lean
        var crystalImages = CrystalTable()
        if kept != .none { crystalImages.imageIndex = crystals.imageIndex }
        crystals = crystalImages
        perImage = nil
        imageQuality = []
    }
}
