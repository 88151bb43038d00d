#!/usr/bin/env python3
"""Draws Platforma's app icons (PNG) without any image library: a white house on brand blue.

Run: python3 tools/make_icons.py  (writes public/icons/*.png). The SVG icon is hand-written.
"""
import struct
import zlib
from pathlib import Path

BRAND = (29, 78, 216)      # #1d4ed8
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"


def inside_poly(x, y, pts):
    hit = False
    j = len(pts) - 1
    for i in range(len(pts)):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            hit = not hit
        j = i
    return hit


def house(x, y, pad):
    """House shape in unit coordinates, shrunk by `pad` (maskable icons need a safe zone)."""
    u = (x - pad) / (1 - 2 * pad)
    v = (y - pad) / (1 - 2 * pad)
    roof = [(0.50, 0.18), (0.84, 0.47), (0.76, 0.47), (0.50, 0.26), (0.24, 0.47), (0.16, 0.47)]
    body = [(0.27, 0.45), (0.50, 0.26), (0.73, 0.45), (0.73, 0.80), (0.27, 0.80)]
    door = (0.44 <= u <= 0.56) and (0.60 <= v <= 0.80)
    return inside_poly(u, v, roof) or (inside_poly(u, v, body) and not door)


def rounded(x, y, r):
    cx = min(max(x, r), 1 - r)
    cy = min(max(y, r), 1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def png(size, maskable):
    rows = []
    ss = 3  # supersampling for smooth edges
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    x = (px + (sx + 0.5) / ss) / size
                    y = (py + (sy + 0.5) / ss) / size
                    if maskable or rounded(x, y, 0.22):
                        c = WHITE if house(x, y, 0.12 if maskable else 0.0) else BRAND
                        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
            n = ss * ss
            row += bytes([acc[0] // n, acc[1] // n, acc[2] // n, acc[3] // n])
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        (OUT / f"icon-{size}.png").write_bytes(png(size, False))
    (OUT / "maskable-512.png").write_bytes(png(512, True))
    print("icons written to", OUT)
