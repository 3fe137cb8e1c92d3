import XtalCore

/// The unit conventions of the producers (`../shared/docs/mx-results.md` §1.3, §1.5 rule 4),
/// applied on reading so that every result is in one set of units: R factors, CC½ and
/// CC_anom as fractions, completeness in percent.
///
/// Detected by producer, never by magnitude, where the producer is known to differ: an
/// outer-shell Rmerge above 1 is normal, so EDNA's percent Rmerge is known from EDNA having
/// written the file. CC½ and CC_anom cannot exceed 1, so a value above 1 is percent
/// whoever wrote it (legacy ISPyB rows store 91.7 for 0.917).
enum UnitRules {
    /// Converts `result` in place; returns what was converted, in words.
    static func normalise(_ result: inout ProcessingResult) -> [String] {
        var notes: [String] = []
        if result.producer == .edna {
            var converted = false
            forEachShell(&result) { shell in
                if let value = shell.rMerge {
                    shell.rMerge = value / 100
                    converted = true
                }
            }
            if converted { notes.append("rMerge: EDNA writes it in percent (its Rmeas and Rpim are fractions); divided by 100") }
        }
        for (name, field) in [("ccHalf", \ShellStatistics.ccHalf), ("ccAnomalous", \ShellStatistics.ccAnomalous)] {
            var shells: [String] = []
            forEachShell(&result) { shell, kind in
                if let value = shell[keyPath: field], value > 1 {
                    shell[keyPath: field] = value / 100
                    shells.append(kind.rawValue)
                }
            }
            if !shells.isEmpty {
                notes.append("\(name) above 1 in \(shells.joined(separator: ", ")): read as percent, divided by 100")
            }
        }
        return notes
    }

    private static func forEachShell(_ result: inout ProcessingResult, _ body: (inout ShellStatistics) -> Void) {
        forEachShell(&result) { shell, _ in body(&shell) }
    }

    private static func forEachShell(_ result: inout ProcessingResult, _ body: (inout ShellStatistics, ShellKind) -> Void) {
        for s in result.scalings.indices {
            for kind in ShellKind.allCases {
                if var shell = result.scalings[s].shells[kind] {
                    body(&shell, kind)
                    result.scalings[s].shells[kind] = shell
                }
            }
        }
    }
}
