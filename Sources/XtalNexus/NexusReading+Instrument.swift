import XtalCore

/// Collection times, beam and detector.
extension NexusReading {
    func readCollection() {
        let e = layout.entry
        metadata.definition = string(e + "/definition")
        metadata.startTime = time(e + "/start_time")
        if metadata.startTime == nil, let legacy = time(layout.detector + "/detectorSpecific/data_collection_date") {
            // DECTRIS legacy masters have no start_time, only the detector's collection date.
            metadata.startTime = legacy
        }
        metadata.endTime = time(e + "/end_time")
        metadata.endTimeEstimated = time(e + "/end_time_estimated")
        for t in [metadata.startTime, metadata.endTime, metadata.endTimeEstimated].compactMap({ $0 }) where !t.hasZone {
            warn("\(t.path): \"\(t.text)\" has no time zone; taken as UTC")
        }
        metadata.instrument = string(layout.instrument + "/name")
        metadata.source = string(layout.source + "/name")
    }

    private func time(_ path: String) -> MetadataTime? {
        guard let text = string(path) else { return nil }
        guard let parsed = NexusTimestamp.parse(text, path: path) else {
            warn("\(path): \"\(text)\" is not an ISO 8601 time; left out")
            return nil
        }
        return parsed
    }

    func readBeam() {
        let b = layout.beam
        var beam = BeamMetadata()
        beam.wavelength = measurement(.wavelength, b + "/incident_wavelength", b + "/wavelength")
        beam.energy = measurement(.energy, b + "/incident_energy")
        let detectorEnergy = measurement(
            .energy, layout.detector + "/detectorSpecific/photon_energy", layout.detector + "/photon_energy")
        if beam.energy == nil { beam.energy = detectorEnergy }
        beam.probe = string(layout.source + "/probe")
        // One of λ and E from the other when only one is written: a photon's E = hc/λ; an
        // electron's kinetic energy from the relativistic de Broglie relation.
        let electron = beam.probe?.lowercased() == "electron"
        if beam.wavelength == nil, let e = beam.energy, e.value > 0 {
            let keV = e.value / 1000
            beam.wavelength = electron
                ? MeasuredValue(value: hcKeVAngstrom / (keV * (keV + 2 * electronRestEnergyKeV)).squareRoot(), unit: "Å",
                                path: e.path, fileUnit: nil, derivedFrom: "hc / √(E (E + 2 m₀c²)), electron")
                : MeasuredValue(value: hcKeVAngstrom / keV, unit: "Å", path: e.path, fileUnit: nil, derivedFrom: "hc / energy")
        } else if beam.energy == nil, let w = beam.wavelength, w.value > 0 {
            let pc = hcKeVAngstrom / w.value  // momentum × c, keV
            beam.energy = electron
                ? MeasuredValue(
                    value: ((pc * pc + electronRestEnergyKeV * electronRestEnergyKeV).squareRoot() - electronRestEnergyKeV) * 1000,
                    unit: "eV", path: w.path, fileUnit: nil, derivedFrom: "√((hc/λ)² + (m₀c²)²) − m₀c², electron kinetic energy")
                : MeasuredValue(value: pc * 1000, unit: "eV", path: w.path, fileUnit: nil, derivedFrom: "hc / wavelength")
        }
        beam.flux = measurement(.frequency, b + "/total_flux", b + "/flux")
        if let size = file.dataset(b + "/incident_beam_size"), let values = size.doubles(), values.count == 2 {
            beam.beamSizeX = convert(values[0], .length, dataset: size)
            beam.beamSizeY = convert(values[1], .length, dataset: size)
            if size.stringAttribute("units") == nil {
                warn("\(size.path): no units; NXmx's default (m) was assumed, check the values")
            }
        }
        beam.transmission = measurement(.fraction, layout.attenuator + "/attenuator_transmission")
        if let t = beam.transmission, t.value > 1 {
            warn("\(t.path): transmission \(t.value) > 1; the file probably holds a percentage")
        }
        metadata.beam = beam
    }

    func readDetector() {
        let d = layout.detector
        let specific = d + "/detectorSpecific"
        var detector = DetectorMetadata()
        detector.description = string(d + "/description", d + "/model")
        detector.type = string(d + "/type")
        detector.serialNumber = string(d + "/serial_number", d + "/detector_number", specific + "/detector_number")
        detector.firmware = string(specific + "/eiger_fw_version", specific + "/software_version")
        detector.sensorMaterial = string(d + "/sensor_material")
        detector.sensorThickness = measurement(.length, d + "/sensor_thickness")
        detector.distance = measurement(.length, d + "/distance", d + "/detector_distance")
        if detector.distance == nil {
            detector.distance = measurement(
                .length, d + "/transformations/det_z", d + "/detector_z/det_z",
                layout.instrument + "/transformations/det_z")
        }
        detector.beamCentreX = measurement(.pixels, d + "/beam_center_x")
        detector.beamCentreY = measurement(.pixels, d + "/beam_center_y")
        detector.pixelSizeX = measurement(.length, d + "/x_pixel_size", d + "/module/fast_pixel_direction")
        detector.pixelSizeY = measurement(.length, d + "/y_pixel_size", d + "/module/slow_pixel_direction")
        detector.countTime = measurement(.time, d + "/count_time", specific + "/frame_count_time")
        detector.frameTime = measurement(.time, d + "/frame_time", specific + "/frame_period")
        detector.readoutTime = measurement(.time, d + "/detector_readout_time")
        detector.saturationValue = scalar(d + "/saturation_value")?.value
        if detector.saturationValue == nil, let cutoff = scalar(specific + "/countrate_correction_count_cutoff") {
            // dxtbx FormatHDF5EigerNearlyNexus takes the saturation value from here.
            detector.saturationValue = cutoff.value
        }
        detector.underloadValue = scalar(d + "/underload_value")?.value
        detector.bitDepthReadout = integer(d + "/bit_depth_readout")
        detector.bitDepthImage = integer(d + "/bit_depth_image")
        detector.pixelsX = integer(specific + "/x_pixels_in_detector", specific + "/x_pixels")
        detector.pixelsY = integer(specific + "/y_pixels_in_detector", specific + "/y_pixels")
        metadata.detector = detector
    }
}
