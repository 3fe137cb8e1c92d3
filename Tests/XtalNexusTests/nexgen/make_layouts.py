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
