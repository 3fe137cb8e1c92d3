import Foundation
import XtalCore

/// The lines `run` prints about the peers' merges: one per merge with its Table 1 figures
/// and the checks' verdicts; a failed check and an unreadable file become warnings.
enum PeerMergeText {
    static func line(_ peer: PeerMergeResults) -> String {
        let o = peer.table1.overall
        var figures: [String] = []
        if let n = peer.crystals { figures.append("\(n) crystals") }
        if let lo = o?.resolutionLimitLow, let hi = o?.resolutionLimitHigh { figures.append(String(format: "%.2f–%.2f Å", lo, hi)) }
        if let c = o?.completeness { figures.append(String(format: "completeness %.2f %%", c)) }
        if let cc = o?.ccHalf { figures.append(String(format: "CC½ %.4f", cc)) }
        if let r = peer.rSplitPercent { figures.append(String(format: "Rsplit %.2f %%", r)) }
        let passed = peer.checks.filter { $0.verdict == .passed }.count
        let failed = peer.checks.filter { $0.verdict == .failed }.count
        let program = [peer.program, peer.model].compactMap { $0 }.joined(separator: ", ")
        let of = peer.peerDataset.map { " dataset '\($0)'" } ?? ""
        if figures.isEmpty { figures.append("no Table 1 among its files") }
        return "  \(peer.dataset) by \(program)\(of): \(figures.joined(separator: ", ")); checks: \(passed) passed"
            + (failed > 0 ? ", \(failed) FAILED" : "")
    }

    /// Warnings for failed checks and for files left out.
    static func warnings(_ peers: [PeerMergeResults]) -> [String] {
        peers.flatMap { peer in
            peer.checks.filter { $0.verdict == .failed }.map { "merge '\(peer.dataset)' (\(peer.program)): \($0.name) check failed: \($0.detail)" }
                + peer.issues.filter { $0.line == 0 }.map { "merge '\(peer.dataset)': \($0.file): \($0.reason)" }
        }
    }

    /// Whether some peer file could not be used or a check failed (exit 3).
    static func incomplete(_ peers: [PeerMergeResults]) -> Bool {
        peers.contains { peer in !peer.checksPass || peer.files.contains { $0.role == "unreadable" } }
    }
}
