"""The input image under hostile conditions (issue 15 items 5, 11, 13): PIL's
decompression-bomb guard is never switched off, FIFOs are refused instead of blocking,
and an image too small to lift says so in terms of the image."""

from __future__ import annotations

import os
import struct
import threading
import zlib

import numpy as np
import pytest
from PIL import Image, ImageOps

import worldnb
from worldnb.errors import InputError
from worldnb.generation import GenerationConfig, load_image


def _flat(rgb):
    return np.full(rgb.shape[:2], 2.0, np.float32)


def test_the_decompression_bomb_guard_stays_on_while_an_image_loads(tmp_path, monkeypatch):
    p = tmp_path / "ok.png"
    Image.new("RGB", (64, 48), (10, 20, 30)).save(p)
    seen = []
    original = ImageOps.exif_transpose

    def spy(img, *args, **kwargs):  # runs while load_image decodes the file
        seen.append(Image.MAX_IMAGE_PIXELS)
        return original(img, *args, **kwargs)

    monkeypatch.setattr(ImageOps, "exif_transpose", spy)
    limit = Image.MAX_IMAGE_PIXELS
    assert load_image(p).rgb.shape == (48, 64, 3)
    assert seen == [limit], "load_image changed PIL.Image.MAX_IMAGE_PIXELS while decoding"


def test_threads_loading_images_leave_the_global_guard_alone(tmp_path):
    p = tmp_path / "ok.png"
    Image.new("RGB", (32, 32)).save(p)
    limit = Image.MAX_IMAGE_PIXELS
    errors = []

    def work():
        try:
            for _ in range(20):
                load_image(p)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and Image.MAX_IMAGE_PIXELS == limit


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares its size and holds no pixels (what a bomb's header says)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def test_a_bomb_over_pils_limit_is_refused_from_its_header_even_when_allowed(tmp_path):
    p = tmp_path / "bomb.png"
    p.write_bytes(_png_header_only(30000, 20000))  # 600 megapixels
    with pytest.raises(InputError, match="allow_large"):
        load_image(p)
    with pytest.raises(InputError, match=r"MAX_IMAGE_PIXELS"):
        load_image(p, allow_large=True)


def _fifo_guarded(fn, fifo, seconds: float = 10.0):
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(seconds)
    if t.is_alive():  # stuck opening the FIFO: give it a writer, then EOF
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        t.join(seconds)
        pytest.fail(f"blocked on the FIFO {fifo}")
    return box


@pytest.mark.parametrize("entry", ["load_image", "generate"])
def test_a_fifo_image_is_refused_instead_of_blocking(entry, tmp_path):
    fifo = tmp_path / "camera.png"
    os.mkfifo(fifo)
    if entry == "load_image":
        box = _fifo_guarded(lambda: load_image(fifo), fifo)
    else:
        cfg = GenerationConfig(n_views=0)
        box = _fifo_guarded(lambda: worldnb.generate(fifo, cfg, depth=_flat, progress=False), fifo)
    assert isinstance(box.get("error"), InputError), box
    assert "not a regular file" in str(box["error"]) and "camera.png" in str(box["error"])


@pytest.mark.parametrize("shape", [(1, 1, 3), (1, 40, 3), (40, 1, 3)])
def test_an_image_too_small_to_lift_names_the_image(shape):
    cfg = GenerationConfig(n_views=0)
    with pytest.raises(InputError, match=r"^image: .*at least 2×2") as err:
        worldnb.generate(np.zeros(shape, np.uint8), cfg, depth=_flat, progress=False)
    assert "depth" not in str(err.value)


def test_a_thin_image_that_resizes_below_two_pixels_names_the_image():
    cfg = GenerationConfig(n_views=0, max_side=64)
    with pytest.raises(InputError, match=r"^image: .*max_side"):
        worldnb.generate(np.zeros((2, 400, 3), np.uint8), cfg, depth=_flat, progress=False)
