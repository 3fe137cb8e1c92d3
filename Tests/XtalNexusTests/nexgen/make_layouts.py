"""Writes NXmx master files with nexgen (DLS's writer, from PyPI) in layouts the shared
samples lack, for NexgenLayoutTests: a Tristan event-mode collection (a 0-90 deg omega
scan recorded as events) and an Eiger image-mode rotation (3600 images of 0.1 deg).

    python make_layouts.py OUTPUT_DIR
"""
import sys
from pathlib import Path

from nexgen.nxs_utils import (Attenuator, Axis, Beam, Detector, EigerDetector, Goniometer, Source,
                              TransformationType, TristanDetector)
from nexgen.nxs_write.nxmx_writer import EventNXmxFileWriter, NXmxFileWriter

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)


def goniometer(increment=0.0, steps=0):
    return [
        Axis("omega", ".", TransformationType.ROTATION, (-1, 0, 0), start_pos=0.0, increment=increment, num_steps=steps),
        Axis("sam_z", "omega", TransformationType.TRANSLATION, (0, 0, 1)),
        Axis("sam_y", "sam_z", TransformationType.TRANSLATION, (0, 1, 0)),
        Axis("sam_x", "sam_y", TransformationType.TRANSLATION, (1, 0, 0)),
    ]


detector_axes = [Axis("det_z", ".", TransformationType.TRANSLATION, (0, 0, 1), start_pos=250.0)]
modules = [(-1, 0, 0), (0, -1, 0)]

tristan = Detector(TristanDetector("Tristan 10M", (3043, 4183)), detector_axes, [1590.7, 1643.7], 90.0, modules)
EventNXmxFileWriter(
    out / "tristan_master.h5", Goniometer(goniometer()), tristan, Source("I19-2"), Beam(0.4859), Attenuator(0.1),
    axis_end_position=90.0,
).write(start_time="2026-11-20T09:00:00Z")

eiger = Detector(
    EigerDetector("Eiger2 X 4M", (2162, 2068), "Si", 10000, -1), detector_axes, [1034.0, 1081.0], 0.01, modules)
scan_axes = goniometer(increment=0.1, steps=3600)
NXmxFileWriter(
    out / "eiger_master.h5", Goniometer(scan_axes), eiger, Source("I24"), Beam(0.9763), Attenuator(0.5), 3600,
).write(image_datafiles=[out / "eiger_000001.h5"], start_time="2026-11-20T09:00:00Z")

# A fixed-target grid on a Jungfrau: 4 x 5 positions of sam_x/sam_y, one still image each.
from nexgen.nxs_utils import JungfrauDetector, SinglaDetector  # noqa: E402
import numpy as np  # noqa: E402

xs = np.repeat(np.arange(4) * 0.125, 5)
ys = np.tile(np.arange(5) * 0.125, 4)
grid = goniometer()
jungfrau = Detector(JungfrauDetector("JUNGFRAU 1M", (1066, 1030)), detector_axes, [515.0, 533.0], 0.001, modules)
NXmxFileWriter(
    out / "jungfrau_grid_master.h5", Goniometer(grid, {"sam_x": xs, "sam_y": ys}), jungfrau, Source("I24"), Beam(0.9763),
    Attenuator(1.0), 20,
).write(image_datafiles=[out / "jungfrau_grid_000001.h5"], start_time="2026-11-20T09:00:00Z")

# Electron diffraction on a SINGLA (200 keV electrons, 0.02508 A): a 60-image rotation.
from nexgen.nxs_write.ed_nxmx_writer import EDNXmxFileWriter  # noqa: E402

singla = Detector(SinglaDetector("Dectris Singla 1M", (1062, 1028)), detector_axes, [514.0, 531.0], 0.1, modules)
ed_axes = [Axis("alpha", ".", TransformationType.ROTATION, (-1, 0, 0), start_pos=-30.0, increment=1.0, num_steps=60)]
coordinates = {
    "convention": "ED",
    "origin": (0, 0, 0),
    "x": Axis("x", ".", TransformationType.TRANSLATION, (0, 1, 0)),
    "y": Axis("y", "x", TransformationType.TRANSLATION, (-1, 0, 0)),
    "z": Axis("z", "y", TransformationType.TRANSLATION, (0, 0, 1)),
}
EDNXmxFileWriter(
    out / "singla_master.h5", Goniometer(ed_axes), singla, Source("eBIC", probe="electron"), Beam(0.02508),
    Attenuator(None), 60, coordinates,
).write(image_datafiles=[out / "singla_data_000001.h5"], start_time="2026-11-20T09:00:00Z")
