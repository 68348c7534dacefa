"""Static files and generated heavy assets of the demo, plus the fake third-party hosts.

The exclusionary variant must weigh what a heavy real platform weighs: a hero image over 1 MB,
over 1 MB of JavaScript, a web font, a CDN script and a tracking pixel from other host names.
Shipping megabytes of binary in the repository would be silly, so they are generated at start-up
from a fixed seed: the same bytes in every run, hence stable page-weight measures. Random bytes
do not compress, so the weight on the wire is the weight announced (no Content-Encoding anyway).
"""

from __future__ import annotations

import base64
import random
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"

# Generated asset paths: the hash-like suffixes imitate a bundler's output names.
HERO_IMAGE_PATH = "/static/img/hero-villeneuve.png"
VENDOR_JS_PATH = "/static/js/vendor.3f9a1c.js"
APP_JS_PATH = "/static/js/app.8b2e4d.js"

# Fake third-party host names; the runner maps `*.test` to 127.0.0.1 (host-resolver rules) and
# the demo answers whatever Host header it gets, on its own port.
CDN_HOST = "cdn.tiers-exemple.test"
FONTS_HOST = "polices.tiers-exemple.test"
TRACKER_HOST = "stats.pisteur-exemple.test"
THIRD_PARTY_HOSTS = (CDN_HOST, FONTS_HOST, TRACKER_HOST)

CDN_SCRIPT_PATH = "/js/carrousel-4.2.1.min.js"
FONT_CSS_PATH = "/css"
FONT_FILE_PATH = "/fonts/marianne-exemple-regular.woff2"
TRACKER_SCRIPT_PATH = "/tag.js"
TRACKER_PIXEL_PATH = "/collect"

# Sizes in bytes. Hero: 700 x 600 RGB pixels = 1.26 MB; JS: 1.15 MB over two first-party files.
_HERO_WIDTH, _HERO_HEIGHT = 700, 600
_VENDOR_JS_BYTES = 700_000
_APP_JS_FILLER_BYTES = 450_000
_CDN_JS_BYTES = 150_000
_FONT_BYTES = 90_000
_SEED = 2020  # the year of the ICPC workshop the demo illustrates

_CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}

# 1 x 1 transparent GIF, the classic tracking pixel.
_PIXEL_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@dataclass(frozen=True)
class Asset:
    """Bytes to serve, their media type, and whether a browser may cache them."""

    content_type: str
    content: bytes
    cacheable: bool = True


def _random_bytes(size: int, salt: int) -> bytes:
    return random.Random(_SEED * 1000 + salt).randbytes(size)


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    checksum = zlib.crc32(kind + payload) & 0xFFFFFFFF
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", checksum)


@cache
def hero_png() -> bytes:
    """A valid PNG of random pixels (noise does not compress: ~1.26 MB on the wire).

    Deflate level 0 (stored blocks) keeps generation to a few milliseconds; a higher level
    would not shrink random data anyway.
    """
    pixels = _random_bytes(_HERO_WIDTH * _HERO_HEIGHT * 3, salt=1)
    row_length = _HERO_WIDTH * 3
    # Each scanline starts with filter type 0 (None).
    raw = b"".join(
        b"\x00" + pixels[row * row_length : (row + 1) * row_length] for row in range(_HERO_HEIGHT)
    )
    header = struct.pack(">IIBBBBB", _HERO_WIDTH, _HERO_HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(raw, 0))
        + _png_chunk(b"IEND", b"")
    )


def _filler_script(banner: str, global_name: str, size: int, salt: int) -> str:
    """Valid JavaScript of about `size` bytes: string chunks pushed onto a global array.

    It stands for the framework and polyfill code of a real bundle: it is downloaded and parsed
    but does nothing, which is what page-weight measures care about.
    """
    encoded = base64.b64encode(_random_bytes(size * 3 // 4, salt)).decode("ascii")
    lines = [
        f"/*! {banner} */",
        f"(function(){{var c=window.{global_name}=window.{global_name}||[];",
    ]
    lines.extend(f'c.push("{encoded[i : i + 4000]}");' for i in range(0, len(encoded), 4000))
    lines.append("})();")
    return "\n".join(lines) + "\n"


@cache
def vendor_js() -> bytes:
    """The 'framework' bundle: pure weight."""
    return _filler_script(
        "vendor bundle (generated filler standing for a framework, demo only)",
        "__villeneuveVendor",
        _VENDOR_JS_BYTES,
        salt=2,
    ).encode("ascii")


@cache
def app_js() -> bytes:
    """The application bundle: filler plus the real client code of the exclusionary variant.

    The real code (paste blocking, cookie banner, client-rendered vote widget) is kept readable
    in `static/exclusionary-app.js` and appended here, as a bundler would.
    """
    filler = _filler_script(
        "application bundle (generated filler, demo only)",
        "__villeneuveApp",
        _APP_JS_FILLER_BYTES,
        3,
    )
    code = (STATIC_DIR / "exclusionary-app.js").read_text(encoding="utf-8")
    return (filler + code).encode("utf-8")


@cache
def cdn_script() -> bytes:
    """A 'carousel library' served by the fake CDN host."""
    filler = _filler_script(
        "carrousel 4.2.1 (fake third-party library, demo only)", "__carrousel", _CDN_JS_BYTES, 4
    )
    return (filler + "window.Carrousel={init:function(){return null;}};\n").encode("ascii")


@cache
def font_file() -> bytes:
    """Bytes standing for a web font: downloaded like one, then rejected by the browser."""
    return b"wOF2" + _random_bytes(_FONT_BYTES - 4, salt=5)


def warm_up() -> None:
    """Generate every heavy asset now, so the first page load is not slower than the next."""
    hero_png()
    vendor_js()
    app_js()
    cdn_script()
    font_file()


def static_asset(path: str) -> Asset | None:
    """The first-party asset at `path` (generated, or a file of `static/`), if any."""
    generated = {HERO_IMAGE_PATH: hero_png, VENDOR_JS_PATH: vendor_js, APP_JS_PATH: app_js}
    if path in generated:
        is_image = path.endswith(".png")
        content_type = "image/png" if is_image else _CONTENT_TYPES[".js"]
        # Barrier 24: the bundles are sent with Cache-Control: no-store, so every page load
        # downloads the 1.15 MB again (RGESN 6.3: no caching).
        return Asset(content_type, generated[path](), cacheable=is_image)
    if not path.startswith("/static/"):
        return None
    relative = path.removeprefix("/static/")
    candidate = (STATIC_DIR / relative).resolve()
    # Refuse anything outside static/ (../ tricks) and unknown file types.
    if STATIC_DIR.resolve() not in candidate.parents or not candidate.is_file():
        return None
    file_type = _CONTENT_TYPES.get(candidate.suffix)
    if file_type is None:
        return None
    return Asset(file_type, candidate.read_bytes())


def third_party_asset(host: str, path: str) -> Asset | None:
    """What the fake CDN, font service and tracker answer; None means 404."""
    if host == CDN_HOST and path == CDN_SCRIPT_PATH:
        return Asset(_CONTENT_TYPES[".js"], cdn_script())
    if host == FONTS_HOST and path == FONT_CSS_PATH:
        # A relative src resolves against this stylesheet's URL, hence the font host and port.
        css = (
            "@font-face{font-family:'Marianne Exemple';font-style:normal;font-weight:400;"
            f"font-display:swap;src:url({FONT_FILE_PATH}) format('woff2');}}\n"
        )
        return Asset(_CONTENT_TYPES[".css"], css.encode("ascii"))
    if host == FONTS_HOST and path == FONT_FILE_PATH:
        return Asset("font/woff2", font_file())
    if host == TRACKER_HOST and path == TRACKER_SCRIPT_PATH:
        script = (
            "(function(){var s=document.currentScript,o=new URL(s.src).origin,i=new Image(1,1);"
            "i.src=o+'/collect?v=1&p='+encodeURIComponent(location.pathname)+'&r='+Math.random()"
            "+'&sw='+screen.width+'&sh='+screen.height+'&l='+navigator.language;})();\n"
        )
        return Asset(_CONTENT_TYPES[".js"], script.encode("ascii"), cacheable=False)
    if host == TRACKER_HOST and path == TRACKER_PIXEL_PATH:
        return Asset("image/gif", _PIXEL_GIF, cacheable=False)
    return None
