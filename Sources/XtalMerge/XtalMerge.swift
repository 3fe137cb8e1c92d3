/// The merged-dataset ledger: which runs, time points and images went into which merged
/// dataset, with that dataset's merging statistics. Filled by a later issue; the
/// manifest's `merges` entries are parsed and kept by `XtalIngest.Manifest` until then.
public enum XtalMerge {}
