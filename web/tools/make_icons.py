#!/usr/bin/python3
"""Draws the app icons (a white water drop on the accent colour #0068B7) as PNG, with only the standard library.

icon-192.png, icon-512.png   -- purpose "any": a rounded square, transparent corners
maskable-512.png             -- purpose "maskable": full bleed, the drop inside the central safe circle (80 %)

usage: make_icons.py OUT_DIR
"""
import math
import struct
import sys
import zlib
from pathlib import Path

ACCENT = (0x00, 0x68, 0xB7)
WHITE = (0xFF, 0xFF, 0xFF)


def png(width, height, rgba_rows):
    """A minimal RGBA PNG (colour type 6, no interlace); rgba_rows: one bytes object per row."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + row for row in rgba_rows)  # filter type 0 on every row
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def drop_distance(x, y, cx, cy, r, apex_y):
    """Signed distance (negative inside) to a water drop: the convex hull of a disk (cx, cy, r) and an apex
    point straight above it. Exact on the boundary, which is all the anti-aliasing needs."""
    length = cy - apex_y                   # apex to the disk's centre
    sin_t = r / length
    cos_t = math.sqrt(1.0 - sin_t * sin_t)
    u, v = y - apex_y, abs(x - cx)         # u along the axis (downwards), v away from it
    t = u * cos_t + v * sin_t              # position along the flank line from the apex
    if t > length * cos_t:                 # past the tangent point: the round part
        return math.hypot(u - length, v) - r
    if t < 0:
        return math.hypot(u, v)
    return -u * sin_t + v * cos_t          # distance to the flank line


def rounded_rect_distance(x, y, size, radius):
    h = size / 2
    qx, qy = abs(x - h) - (h - radius), abs(y - h) - (h - radius)
    return math.hypot(max(qx, 0.0), max(qy, 0.0)) + min(max(qx, qy), 0.0) - radius


def draw(size, maskable):
    # The drop's height is 0.62 of the size (0.5 inside the maskable safe zone), its round part 0.62 of that wide.
    scale = 0.50 if maskable else 0.62
    height = size * scale
    r = height * 0.31
    apex_y = (size - height) / 2 + size * 0.01
    cy = apex_y + height - r
    cx = size / 2
    # A highlight: a small light arc inside the round part.
    hx, hy, hr = cx - r * 0.42, cy + r * 0.05, r * 0.28
    rows = []
    for j in range(size):
        row = bytearray()
        y = j + 0.5
        for i in range(size):
            x = i + 0.5
            bg = 1.0 if maskable else min(max(0.5 - rounded_rect_distance(x, y, size, size * 0.18), 0.0), 1.0)
            d = min(max(0.5 - drop_distance(x, y, cx, cy, r, apex_y), 0.0), 1.0)
            ring = abs(math.hypot(x - hx, y - hy) - hr) - r * 0.05
            hl = min(max(0.5 - ring, 0.0), 1.0) if (x < hx and y > hy - hr * 0.2) else 0.0
            colour = [ACCENT[k] + (WHITE[k] - ACCENT[k]) * d for k in range(3)]
            colour = [c + (ACCENT[k] * 0.35 + 255 * 0.65 - c) * hl * d for k, c in enumerate(colour)]
            row += bytes((round(colour[0]), round(colour[1]), round(colour[2]), round(255 * bg)))
        rows.append(bytes(row))
    return png(size, size, rows)


def main():
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in (("icon-192.png", 192, False), ("icon-512.png", 512, False),
                                 ("maskable-512.png", 512, True)):
        tmp = out / (name + ".tmp")
        tmp.write_bytes(draw(size, maskable))
        tmp.replace(out / name)


if __name__ == "__main__":
    main()
