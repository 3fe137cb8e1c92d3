/// Sub-tables of a run's images and their crystals, for statistics over a subset (a time
/// point, light or dark images). Only the columns the statistics read are copied; header
/// values, filenames and events stay in the run's full table.
extension ImageTable {
    /// The images at `rows` (ascending row numbers of this table).
    public func selecting(rows: [Int]) -> ImageTable {
        var t = ImageTable()
        // Columns a statistics-only read leaves empty stay empty; the others are
        // allocated once at their size.
        let hasListed = listedPeaks.count == count
        let hasIdentity = serial.count == count
        t.reserveCapacity(rows.count, identities: hasIdentity, listedPeaks: hasListed)
        for r in rows {
            if hasIdentity {
                t.serial.append(serial[r])
                t.photonEnergy.append(photonEnergy[r])
            }
            t.hit.append(hit[r])
            t.hitLineAbsent.append(hitLineAbsent[r])
            t.crystalCount.append(crystalCount[r])
            t.indexedByMethod.append(indexedByMethod[r])
            t.numPeaks.append(numPeaks[r])
            t.peakResolution.append(peakResolution[r])
            if hasListed {
                t.listedPeaks.append(listedPeaks[r])
                t.listedPeakResolution.append(listedPeakResolution[r])
            }
        }
        return t
    }
}

extension CrystalTable {
    /// The crystals of the images at `rows` (ascending row numbers of the image table),
    /// renumbered to the rows of `ImageTable.selecting(rows:)`.
    public func selecting(imageRows rows: [Int]) -> CrystalTable {
        // The new row of each image in a flat array (4 B an image of the run, where a
        // Dictionary took about 40), then the crystals counted, so that every column is
        // allocated once at its size: the statistics keep these columns as their samples.
        let imageRows = (rows.max() ?? -1) + 1
        var newRow = [UInt32](repeating: .max, count: imageRows)
        for (i, r) in rows.enumerated() { newRow[r] = UInt32(i) }
        func rowOf(_ k: Int) -> UInt32 {
            let image = Int(imageIndex[k])
            return image < imageRows ? newRow[image] : .max
        }
        var selected = 0
        for k in 0..<count where rowOf(k) != .max { selected += 1 }
        var t = CrystalTable()
        t.reserveCapacity(selected)
        for k in 0..<count {
            let row = rowOf(k)
            guard row != .max else { continue }
            t.imageIndex.append(row)
            t.a.append(a[k])
            t.b.append(b[k])
            t.c.append(c[k])
            t.alpha.append(alpha[k])
            t.beta.append(beta[k])
            t.gamma.append(gamma[k])
            t.latticeType.append(latticeType[k])
            t.centering.append(centering[k])
            t.uniqueAxis.append(uniqueAxis[k])
            t.resolutionLimit.append(resolutionLimit[k])
            t.numReflections.append(numReflections[k])
            t.profileRadius.append(profileRadius[k])
            t.detShiftX.append(detShiftX[k])
            t.detShiftY.append(detShiftY[k])
        }
        return t
    }
}
