"""Regenerate ``metrics.json`` (advance widths of DejaVu Sans) from the installed TTF files.

Run ``python -m journeymap.text.fonts.build`` after the fonts-dejavu-core package changes;
``python -m journeymap.text.fonts.build --check`` exits 1 when the shipped table has drifted.
Only this module reads TrueType files; the runtime loads the JSON it writes.
"""

from __future__ import annotations

import json
import struct
import sys
import unicodedata
from pathlib import Path

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
FACES: dict[str, str] = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
NOTO_ARABIC = Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf")
NOTO_ARABIC_BOLD = Path("/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf")
TABLE_PATH = Path(__file__).with_name("metrics.json")


class TrueType:
    """The few tables of a TrueType file needed for advance widths."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        num_tables = struct.unpack_from(">H", data, 4)[0]
        self.tables: dict[str, tuple[int, int]] = {}
        for i in range(num_tables):
            tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
            self.tables[tag.decode("latin-1")] = (offset, length)
        self.units_per_em: int = struct.unpack_from(">H", data, self.tables["head"][0] + 18)[0]

    def advances(self) -> list[int]:
        """Advance width of every glyph id, in font units."""
        num_glyphs = struct.unpack_from(">H", self.data, self.tables["maxp"][0] + 4)[0]
        num_metrics = struct.unpack_from(">H", self.data, self.tables["hhea"][0] + 34)[0]
        hmtx = self.tables["hmtx"][0]
        widths = [struct.unpack_from(">H", self.data, hmtx + 4 * i)[0] for i in range(num_metrics)]
        return widths + [widths[-1]] * (num_glyphs - num_metrics)

    def cmap(self) -> dict[int, int]:
        """Code point -> glyph id, from the best Unicode subtable (format 12, else 4)."""
        base = self.tables["cmap"][0]
        count = struct.unpack_from(">H", self.data, base + 2)[0]
        subtables: dict[int, int] = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", self.data, base + 4 + 8 * i)
            if (platform, encoding) in ((3, 10), (3, 1), (0, 4), (0, 3)):
                fmt = struct.unpack_from(">H", self.data, base + offset)[0]
                subtables.setdefault(fmt, base + offset)
        if 12 in subtables:
            return self._format12(subtables[12])
        return self._format4(subtables[4])

    def _format12(self, at: int) -> dict[int, int]:
        groups = struct.unpack_from(">I", self.data, at + 12)[0]
        result: dict[int, int] = {}
        for i in range(groups):
            start, end, glyph = struct.unpack_from(">III", self.data, at + 16 + 12 * i)
            for cp in range(start, end + 1):
                result[cp] = glyph + cp - start
        return result

    def _format4(self, at: int) -> dict[int, int]:
        segs = struct.unpack_from(">H", self.data, at + 6)[0] // 2
        ends = struct.unpack_from(f">{segs}H", self.data, at + 14)
        starts = struct.unpack_from(f">{segs}H", self.data, at + 16 + 2 * segs)
        deltas = struct.unpack_from(f">{segs}h", self.data, at + 16 + 4 * segs)
        range_at = at + 16 + 6 * segs
        offsets = struct.unpack_from(f">{segs}H", self.data, range_at)
        result: dict[int, int] = {}
        for i in range(segs):
            for cp in range(starts[i], ends[i] + 1):
                if cp == 0xFFFF:
                    continue
                if offsets[i] == 0:
                    glyph = (cp + deltas[i]) & 0xFFFF
                else:
                    addr = range_at + 2 * i + offsets[i] + 2 * (cp - starts[i])
                    glyph = struct.unpack_from(">H", self.data, addr)[0]
                    glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
                if glyph:
                    result[cp] = glyph
        return result


def face_widths(path: Path) -> tuple[int, dict[int, int]]:
    """``(units_per_em, {code point: advance in font units})`` of one font file.

    A letter that has Arabic presentation forms (initial, medial, final) gets the widest
    of them, since shaping may substitute any one of them.
    """
    font = TrueType(path.read_bytes())
    advances = font.advances()
    widths = {cp: advances[g] for cp, g in sorted(font.cmap().items())}
    for cp, width in list(widths.items()):
        target = _presentation_base(cp)
        if target is not None and target in widths:
            widths[target] = max(widths[target], width)
    return font.units_per_em, widths


def _presentation_base(cp: int) -> int | None:
    """The letter an Arabic single-letter presentation form stands for, else None."""
    parts = unicodedata.decomposition(chr(cp)).split()
    forms = ("<initial>", "<medial>", "<final>", "<isolated>")
    if len(parts) == 2 and parts[0] in forms:
        return int(parts[1], 16)
    return None


def _ranges(widths: dict[int, int]) -> list[list[int]]:
    """Runs of consecutive code points as ``[first, w0, w1, ...]``."""
    runs: list[list[int]] = []
    previous = -2
    for cp, width in widths.items():
        if cp != previous + 1:
            runs.append([cp])
        runs[-1].append(width)
        previous = cp
    return runs


def arabic_bound(paths: list[Path]) -> float:
    """The widest single right-to-left letter of these fonts (any form, no ligature), in em.

    Used for right-to-left letters the layout font lacks, which a fallback font draws.
    """
    widest = 0.0
    for path in paths:
        units, widths = face_widths(path)
        for cp, width in widths.items():
            char = chr(cp)
            letter = unicodedata.category(char) == "Lo"
            single = len(unicodedata.decomposition(char).split()) <= 2
            if letter and single and unicodedata.bidirectional(char) in ("R", "AL"):
                widest = max(widest, width / units)
    return round(widest + 0.0005, 3)


def build() -> str:
    """The JSON text of the metrics table, from the installed fonts."""
    faces: dict[str, object] = {}
    for name, filename in FACES.items():
        units, widths = face_widths(DEJAVU_DIR / filename)
        faces[name] = {"units_per_em": units, "runs": _ranges(widths)}
    table = {
        "source": "Debian fonts-dejavu-core: " + ", ".join(FACES.values()),
        "arabic_em": arabic_bound([NOTO_ARABIC, NOTO_ARABIC_BOLD]),
        "faces": faces,
    }
    return json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    """Write the table, or with ``--check`` report whether the shipped one is current."""
    text = build()
    if argv[1:] == ["--check"]:
        current = TABLE_PATH.read_text(encoding="utf-8") == text
        print("metrics.json is current" if current else "metrics.json differs from the fonts")
        return 0 if current else 1
    TABLE_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {TABLE_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
