"""Screenshots → small thumbnails embedded as ``data:`` URIs (the HTML report is one file).

A checkpoint screenshot is a 1920×1080 JPEG of 100–300 KB; a report with a dozen of them would
weigh megabytes. The report only needs to show *which* page a step or a finding is about, so
each screenshot becomes a 320 px wide image (sharp at 160 CSS px on a 2× screen), cropped to
its top part when the page is very tall (the top is what a person sees first), encoded as WebP
at quality 50 (about 5–15 KB for a real page; JPEG quality 45 when Pillow lacks WebP).
Every browser in use since 2020 shows WebP, and the report prints it.

Robustness: a screenshot that is missing, unreadable, not an image, or whose path leaves the
run directory (a scorecard is a file anyone can edit) yields ``None``; the report then shows
a "no screenshot" note instead. Thumbnails are cached per path for one report.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from PIL import features as pil_features

WIDTH = 320
MAX_HEIGHT = 400  # 5:4 at most; taller pages are cropped to their top
WEBP_QUALITY = 50
JPEG_QUALITY = 45
#: Refuse to decode absurd images (decompression bombs): 40 megapixels covers a full-page
#: screenshot of a long page at DPR 2.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Thumbnail:
    """An embeddable thumbnail and its size, for ``<img width height>`` (no layout shift)."""

    data_uri: str
    width: int
    height: int
    byte_size: int


def image_format() -> str:
    """``WEBP`` when this Pillow can write it, else ``JPEG``."""
    return "WEBP" if pil_features.check("webp") else "JPEG"


def encode_thumbnail(image: Image.Image, width: int = WIDTH, max_height: int = MAX_HEIGHT,
                     fmt: str | None = None) -> Thumbnail:
    """Scale ``image`` to ``width`` (never up), crop to ``max_height``, compress."""
    fmt = fmt or image_format()
    picture = image.convert("RGB")  # drops alpha and palette; JPEG/WebP lossy want RGB
    if picture.width > width:
        # Crop first (to the top of a tall page), then scale: less work, same result.
        source_height = min(picture.height, round(max_height * picture.width / width))
        if source_height < picture.height:
            picture = picture.crop((0, 0, picture.width, source_height))
        height = max(1, round(picture.height * width / picture.width))
        picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    elif picture.height > max_height:
        picture = picture.crop((0, 0, picture.width, max_height))
    buffer = io.BytesIO()
    if fmt == "WEBP":
        picture.save(buffer, "WEBP", quality=WEBP_QUALITY, method=6)
        mime = "image/webp"
    else:
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        mime = "image/jpeg"
    payload = buffer.getvalue()
    return Thumbnail(f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}",
                     picture.width, picture.height, len(payload))


class Thumbnails:
    """Thumbnails of one run's screenshots, made on demand and cached by relative path."""

    def __init__(self, run_dir: Path | None, fmt: str | None = None) -> None:
        self.run_dir = run_dir.resolve() if run_dir is not None else None
        self.fmt = fmt or image_format()
        self._cache: dict[str, Thumbnail | None] = {}

    def get(self, relative: str) -> Thumbnail | None:
        """The thumbnail of ``relative`` (a path from the run directory), or ``None``."""
        if not relative or self.run_dir is None:
            return None
        if relative not in self._cache:
            self._cache[relative] = self._make(relative)
        return self._cache[relative]

    def _make(self, relative: str) -> Thumbnail | None:
        assert self.run_dir is not None
        path = (self.run_dir / relative).resolve()
        if not path.is_relative_to(self.run_dir) or not path.is_file():
            return None
        try:
            with Image.open(path) as image:
                if image.width * image.height > MAX_PIXELS:
                    return None
                image.load()
                return encode_thumbnail(image, fmt=self.fmt)
        except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError):
            return None
