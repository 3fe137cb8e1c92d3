import Foundation

/// The two GSL routines CrystFEL's figures of merit use, with GSL's own recurrences, so
/// results agree to the last printed digit: `gsl_stats_correlation` and `gsl_fit_linear`.
enum StatisticsAlgorithms {
    /// Pearson's correlation by GSL's running update (Welford-style: means and sums of
    /// products updated in one pass).
    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let n = min(x.count, y.count)
        guard n > 0 else { return .nan }
        var sumXX = 0.0, sumYY = 0.0, sumXY = 0.0
        var meanX = x[0], meanY = y[0]
        var i = 1
        while i < n {
            let ratio = Double(i) / (Double(i) + 1.0)
            let dx = x[i] - meanX
            let dy = y[i] - meanY
            sumXX += dx * dx * ratio
            sumYY += dy * dy * ratio
            sumXY += dx * dy * ratio
            meanX += dx / (Double(i) + 1.0)
            meanY += dy / (Double(i) + 1.0)
            i += 1
        }
        return sumXY / (sumXX.squareRoot() * sumYY.squareRoot())
    }

    /// Least-squares line y = c0 + c1·x by GSL's recurrences (running means, then running
    /// mean squared deviations).
    static func linearFit(_ x: [Double], _ y: [Double]) -> (c0: Double, c1: Double) {
        let n = x.count
        var mx = 0.0, my = 0.0, dx2 = 0.0, dxdy = 0.0
        for i in 0..<n {
            mx += (x[i] - mx) / (Double(i) + 1.0)
            my += (y[i] - my) / (Double(i) + 1.0)
        }
        for i in 0..<n {
            let dx = x[i] - mx
            let dy = y[i] - my
            dx2 += (dx * dx - dx2) / (Double(i) + 1.0)
            dxdy += (dx * dy - dxdy) / (Double(i) + 1.0)
        }
        let c1 = dxdy / dx2
        return (my - mx * c1, c1)
    }
}
