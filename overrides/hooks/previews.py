"""MkDocs hook: a preview image per edition, for the card a forum or a chat draws under a link.

`preview.png` (English) and `zh/preview.png` (Chinese) are drawn at build time with matplotlib:
1200 x 630 px, the edition's site name and a sketch of three probabilities going to 1/3 as
softmax is applied again and again, computed here in plain Python floats. overrides/main.html
names the image of the page's edition in its Open Graph and Twitter tags (`config.extra.preview`,
set here for each edition's build). Nothing is requested from another host.

The same build draws the same bytes: fixed fonts, chosen by file (matplotlib's own DejaVu Sans
for Latin; Noto Sans CJK SC for Chinese, from Debian's fonts-noto-cjk, which .ci/run installs),
and no date or version in the PNG's metadata. Without the Chinese font the build stops and says
what to install: matplotlib would draw a box for every character. Drawings are cached
(site_build/cache.py: in memory, and under .cache/previews/ for the next build) by the digest of
this file, of the font file matplotlib finds for the edition and of the title, and by the
matplotlib and numpy versions, so a build draws them only when one of those changed.
"""

from __future__ import annotations

import base64
import functools
import io
import math
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent))
from site_build import editions  # noqa: E402
from site_build.cache import MISSING, Cache, digest, directory, named, version  # noqa: E402

WIDTH, HEIGHT, DPI = 1200, 630, 100
FONTS = {"en": "DejaVu Sans", "zh": "Noto Sans CJK SC"}
CJK_INSTALL = "apt-get install fonts-noto-cjk"
ALT = {
    "en": "{name}: a sketch of three probabilities drawn together to 1/3 as softmax is applied again and again.",
    "zh": "{name}——示意图：反复应用 softmax，三个概率一起收敛到 1/3。",
}
cache = named("previews")  # kept from one serve rebuild to the next (site_build/cache.py)


def passes(start=(0.8, 0.15, 0.05), count=6) -> list[list[float]]:
    """The entries of `start` (a probability vector) after 0, 1, ..., count passes of softmax."""
    rows = [list(start)]
    for _ in range(count):
        exps = [math.exp(v - max(rows[-1])) for v in rows[-1]]
        rows.append([e / sum(exps) for e in exps])
    return rows


def font_file(language: str) -> str:
    from matplotlib import font_manager

    family = FONTS[language]
    try:
        return font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        raise PluginError(f"previews: the {language} preview image needs the font {family!r}, which is not "
                          f"installed ({CJK_INSTALL}); without it every Chinese character would be a box") from None


@functools.cache  # matplotlib keeps a font it has read for the process too
def _font_digest(path: str) -> str:
    return digest(Path(path).read_bytes())


def _made_from(language: str, title: str, font: str) -> dict:
    return {"hook": digest(Path(__file__).read_bytes()), "language": language, "title": title, "font": [font, _font_digest(font)],
            "matplotlib": version("matplotlib"), "numpy": version("numpy"), "pillow": version("pillow", "PIL")}


def draw(language: str, title: str, where: Path | None = None) -> bytes:
    """The preview image of the edition in `language` titled `title`, as PNG bytes, cached (in
    memory; on disk too, in the directory `where`, when given)."""
    path = font_file(language)
    if (png := cache.get(where, f"preview-{language}", _made_from(language, title, path))) is not MISSING:
        return base64.b64decode(png)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager

    font = font_manager.FontProperties(fname=path)
    rows = passes()
    with plt.rc_context({"svg.hashsalt": "repeated-softmax", "axes.unicode_minus": False}):
        figure = plt.figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="#3f51b5")
        heading = figure.text(0.06, 0.8, title, color="white", fontproperties=font, fontsize=40, va="center")
        width = heading.get_window_extent(renderer=figure.canvas.get_renderer()).width
        heading.set_fontsize(40 * min(1, 0.88 * WIDTH / width))  # the title on one line, within the card
        figure.text(0.06, 0.67, "softmax(softmax(... softmax(x))) → 1/n", color="#e8eaf6",
                    fontproperties=font, fontsize=24, va="center")
        axes = figure.add_axes((0.06, 0.1, 0.88, 0.48), facecolor="#3f51b5")
        for entry in range(3):
            axes.plot(range(len(rows)), [row[entry] for row in rows], marker="o", color="white", linewidth=3)
        axes.axhline(1 / 3, color="#ffd54f", linestyle="--", linewidth=2)
        axes.set_xticks([]), axes.set_yticks([])
        for spine in axes.spines.values():
            spine.set_visible(False)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, facecolor=figure.get_facecolor(), metadata={"Software": None})
        plt.close(figure)
    # Every package that drew it is imported now: the versions that drew it.
    cache.put(where, f"preview-{language}", _made_from(language, title, path), base64.b64encode(buffer.getvalue()).decode("ascii"))
    return buffer.getvalue()


# After the i18n plugin (priority -100), which cannot take a generated file (as in figures.py).
@event_priority(-110)
def on_files(files, config):
    language = editions.language(config)
    path = editions.prefix(config) + "preview.png"
    files.append(File.generated(config, path, content=draw(language, config.site_name, directory(config, "previews"))))
    config.extra["preview"] = {"url": config.site_url + path, "width": WIDTH, "height": HEIGHT,
                               "alt": ALT[language].format(name=config.site_name)}
    return files
