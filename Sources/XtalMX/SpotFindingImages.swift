import XtalCore

extension ImageTable {
    /// One row per image of a spot-finding file, in image-number order, so that a serial
    /// run summarised from Dozor or DIALS alone (no stream) gets the statistics a stream
    /// gives: an image is a hit when it has more than `hitSpotCutoff` spots (DLS's SSX
    /// rule, mx-results.md §6), its peak count is the spot count, its peak resolution the
    /// producer's resolution estimate. Nothing is indexed, and no image has a `hit =` line.
    public init(spotFinding series: ImageQualitySeries, hitSpotCutoff: Int) {
        self.init()
        let ordered = series.images.sorted { $0.imageNumber < $1.imageNumber }
        for image in ordered {
            let spots = image.spots ?? 0
            serial.append(UInt32(clamping: image.imageNumber))
            hit.append(spots > hitSpotCutoff)
            hitLineAbsent.append(true)
            crystalCount.append(0)
            indexedByMethod.append(false)
            numPeaks.append(image.spots.map { UInt32(clamping: $0) } ?? UInt32.max)
            peakResolution.append(Float32(image.resolutionEstimate ?? .nan))
            photonEnergy.append(.nan)
            filenames.append("")
            events.append("")
        }
    }
}
