import XtalNexus

/// The NXmx master file of one synthetic run: a fixed-target chip collection on an
/// Eiger2 4M, one image per aperture (per-image sam_x/sam_y), and for the pump-probe run the
/// DLS-style pump note plus per-frame start times. Written through libhdf5 like a real one.
enum ExampleMasterFile {
    /// Apertures per block row/column and their pitch (Oxford chip geometry, mm:
    /// shared/docs/nexus-nxmx.md §3.1).
    static let aperturesPerBlockSide = 20
    static let aperturePitch = 0.125
    static let blockPitch = 3.175
    static let blocksPerRow = 8
    static let frameTime = 0.010
    static let countTime = 0.0099

    /// The pump of the pump-probe run: 5 µs laser, probe 10 µs after the pump started
    /// (the same timing as the manifest's `pump-probe` event chain).
    static let pumpExposure = 0.000005
    static let pumpDelay = 0.000010

    static func collection(for profile: ExampleRunProfile, runIndex: Int, random: inout ExampleRandom) -> NXmxCollection {
        let startSeconds = 9 * 3600 + runIndex * 1800
        var c = NXmxCollection(
            startTime: timestamp(startSeconds), images: profile.images, wavelength: 0.9686,
            distance: 180.0, beamCentre: (1034.5, 1081.2), countTime: countTime, frameTime: frameTime,
            dataFilePrefix: profile.name)
        c.endTime = timestamp(startSeconds + Int((Double(profile.images) * frameTime).rounded(.up)))
        c.transmission = 0.5
        c.flux = 3.2e12
        c.sampleName = "lyso-microcrystals"
        c.positions = chipPositions(count: profile.images)
        if profile.pumpProbe {
            c.pumpProbe = (pumpExposure, pumpDelay)
            // Measured frame starts: nominal spacing plus sub-microsecond jitter.
            c.frameStartTimes = (0..<profile.images).map { i in
                Double(i) * frameTime + (random.uniform() - 0.5) * 2e-7
            }
        }
        return c
    }

    /// Aperture centres of consecutive images: 20 × 20 apertures per block, rows rastered
    /// as a snake, blocks filled left to right, 8 blocks per row of blocks.
    static func chipPositions(count: Int) -> (x: [Double], y: [Double]) {
        let perBlock = aperturesPerBlockSide * aperturesPerBlockSide
        var xs: [Double] = []
        var ys: [Double] = []
        xs.reserveCapacity(count)
        ys.reserveCapacity(count)
        for i in 0..<count {
            let block = i / perBlock
            let inBlock = i % perBlock
            let row = inBlock / aperturesPerBlockSide
            var column = inBlock % aperturesPerBlockSide
            if row % 2 == 1 { column = aperturesPerBlockSide - 1 - column }
            let blockX = Double(block % blocksPerRow) * blockPitch
            let blockY = Double(block / blocksPerRow) * blockPitch
            xs.append(blockX + Double(column) * aperturePitch)
            ys.append(blockY + Double(row) * aperturePitch)
        }
        return (xs, ys)
    }

    /// ISO 8601 UTC time `seconds` after 2026-11-20T00:00:00Z (runs shorter than 10 days).
    private static func timestamp(_ seconds: Int) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let day = 20 + seconds / 86_400
        return "2026-11-\(two(day))T\(two(seconds / 3600 % 24)):\(two(seconds / 60 % 60)):\(two(seconds % 60))Z"
    }
}
