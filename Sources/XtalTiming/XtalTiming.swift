/// Time-resolved event alignment: ISPyB event chains → per-image delays, time points and
/// light/dark labels, plus the CrystFEL and DIALS split files.
///
/// Filled by the issue "Time-resolved event alignment"; until then the manifest's event
/// chains are parsed and kept by `XtalIngest.Manifest` but not applied.
public enum XtalTiming {
    /// The sign convention used throughout the engine (fixed now so that every later stage
    /// agrees): delay = t(probe start) − t(pump start), in seconds.
    public static let delayConvention = "delay = t(probe start) - t(pump start), seconds"
}
