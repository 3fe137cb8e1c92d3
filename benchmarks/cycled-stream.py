#!/usr/bin/env python3
"""Writes a stream of N chunks by cycling the chunks of a sample stream, with the image
serial numbers renumbered 1..N: the recipe of ../shared/docs/crystfel-stream.md §9.2
(`big100k.stream`, on which CrystFEL's reader was measured for the merge issue's target).

    benchmarks/cycled-stream.py SAMPLE.stream N OUT.stream
"""
import os
import re
import sys

sample, count, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(sample, "rb").read()
marker = b"----- Begin chunk -----\n"
first = data.index(marker)
chunks = [marker + c for c in data[first + len(marker):].split(marker)]
serial = re.compile(rb"Image serial number: \d+")
with open(out + ".part", "wb") as f:
    f.write(data[:first])
    for k in range(count):
        f.write(serial.sub(b"Image serial number: %d" % (k + 1), chunks[k % len(chunks)]))
os.replace(out + ".part", out)
