"""One-off: build assets/fonts/ from the published font packages (run by a developer, not the game).

    npm pack @fontsource/atkinson-hyperlegible && tar xzf fontsource-atkinson-hyperlegible-*.tgz
    uv run tools/fonts.py package/ /usr/share/fonts/truetype/noto/

Atkinson Hyperlegible (Braille Institute, SIL OFL 1.1) is published by Fontsource as web fonts
split by script subset; this merges the "latin" and "latin-ext" subsets of the regular (400) and
bold (700) weights into one TrueType file each with fontTools (a matplotlib dependency already
in the environment; the game itself only loads the result). Noto Sans (Google, SIL OFL 1.1;
Debian's fonts-noto-core) is copied as is: it is the fallback for the Cyrillic and Greek that
Atkinson Hyperlegible does not draw. Each font's licence goes beside it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parents[1] / "assets" / "fonts"
WEIGHTS = {"Regular": 400, "Bold": 700}
NOTO_COPYRIGHT = (
    "Noto Sans: Copyright 2010, 2012-2020 Google Inc., 2015-2020 Google LLC.\n\n"
    "This Font Software is licensed under the SIL Open Font License, Version 1.1.\n"
)


def merge_subsets(files: list[Path], out: Path) -> None:
    """One TrueType font from web-font subsets of the same face (first subset wins a code point)."""
    merged = Merger().merge([str(f) for f in files])
    merged.flavor = None  # plain TrueType, not WOFF
    merged.save(str(out))


def main(fontsource: Path, noto_dir: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    files = fontsource / "files"
    for name, weight in WEIGHTS.items():
        subsets = [files / f"atkinson-hyperlegible-{s}-{weight}-normal.woff" for s in ("latin", "latin-ext")]
        merge_subsets(subsets, OUT / f"AtkinsonHyperlegible-{name}.ttf")
        shutil.copyfile(noto_dir / f"NotoSans-{name}.ttf", OUT / f"NotoSans-{name}.ttf")
    licence = (fontsource / "LICENSE").read_text(encoding="utf-8")
    (OUT / "AtkinsonHyperlegible-OFL.txt").write_text(licence, encoding="utf-8")
    ofl = licence[licence.index("This license is copied below") :]
    (OUT / "NotoSans-OFL.txt").write_text(NOTO_COPYRIGHT + ofl, encoding="utf-8")
    for out in OUT.glob("*.ttf"):
        print(out.name, len(TTFont(str(out)).getBestCmap()), "code points")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
