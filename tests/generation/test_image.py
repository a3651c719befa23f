import math

import numpy as np
import pytest
import torch
from PIL import Image

from worldnb.errors import FormatError, InputError
from worldnb.generation import load_image


def test_uint8_rgb_roundtrip(rng):
    a = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    img = load_image(a, max_side=64)
    assert img.rgb.dtype == np.float32 and img.rgb.shape == (20, 30, 3)
    np.testing.assert_allclose(img.rgb, a / 255.0, atol=1e-6)
    assert img.mask is None and img.focal_px is None


def test_gray_float_uint16_and_torch_layouts(rng):
    g = rng.random((10, 12)).astype(np.float32)
    assert np.allclose(load_image(g).rgb, g[..., None].repeat(3, -1))
    u16 = (g * 65535).astype(np.uint16)
    assert np.allclose(load_image(u16).rgb[..., 0], u16 / 65535, atol=1e-6)
    t = torch.from_numpy(np.stack([g, g * 0.5, g * 0.25]))  # C×H×W
    out = load_image(t).rgb
    assert out.shape == (10, 12, 3) and np.allclose(out[..., 1], g * 0.5)
    assert load_image(t[None]).rgb.shape == (10, 12, 3)  # 1×C×H×W
    assert load_image(t.permute(1, 2, 0)).rgb.shape == (10, 12, 3)  # H×W×C


def test_alpha_is_composited_over_white_and_kept_as_mask():
    a = np.zeros((4, 4, 4), np.float32)
    a[..., 0] = 1.0
    a[:2, :, 3] = 1.0  # top half opaque red, bottom transparent
    img = load_image(a)
    assert np.allclose(img.rgb[0, 0], [1, 0, 0]) and np.allclose(img.rgb[3, 3], [1, 1, 1])
    assert img.mask[:2].all() and not img.mask[2:].any()


def test_resize_keeps_aspect_and_scales_exif_focal(tmp_path):
    im = Image.new("RGB", (400, 200), (10, 200, 30))
    exif = Image.Exif()
    exif[0xA405] = 35  # 35 mm-equivalent focal length
    p = tmp_path / "photo.jpg"
    im.save(p, exif=exif)
    img = load_image(p, max_side=100)
    assert img.rgb.shape == (50, 100, 3) and img.original_size == (400, 200)
    expected = 35 * math.hypot(400, 200) / math.hypot(36, 24) * 100 / 400
    assert img.focal_px == pytest.approx(expected, rel=1e-6)
    assert load_image(p, max_side=1000).rgb.shape == (200, 400, 3)  # never enlarged


def test_exif_orientation_is_applied(tmp_path):
    a = np.zeros((20, 40, 3), np.uint8)
    a[:, :20] = 255  # left half white
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    p = tmp_path / "rot.jpg"
    Image.fromarray(a).save(p, exif=exif, quality=100)
    img = load_image(p)
    assert img.rgb.shape == (40, 20, 3)
    assert img.rgb[:20].mean() > 0.9 and img.rgb[20:].mean() < 0.1  # white on top now


@pytest.mark.parametrize(
    ("value", "match"),
    [
        (np.zeros((0, 10, 3), np.uint8), "empty"),
        (np.zeros((5, 5, 5), np.uint8), "shape"),
        (np.zeros((5, 5, 3), np.int64), "uint8 or uint16"),
        (np.full((5, 5, 3), 2.0), r"\[0, 1\]"),
        (np.full((5, 5, 3), np.nan), "NaN"),
        (np.zeros((5, 5, 3), bool), "dtype"),
        ("not an image", "no file"),
        (42, "expected a path"),
        (torch.zeros(2, 3, 8, 8), "batch"),
    ],
)
def test_bad_inputs(value, match):
    with pytest.raises(InputError, match=match):
        load_image(value)


def test_over_50_megapixels_refused_unless_allowed():
    huge = np.broadcast_to(np.zeros((1, 1, 3), np.uint8), (7100, 7100, 3))  # no memory
    with pytest.raises(InputError, match="allow_large"):
        load_image(huge)


def test_large_file_refused_before_decoding(tmp_path):
    p = tmp_path / "huge.png"
    Image.new("1", (8000, 7000)).save(p)
    with pytest.raises(InputError, match="megapixels"):
        load_image(p)


def test_non_image_and_truncated_files(tmp_path):
    txt = tmp_path / "notes.png"
    txt.write_text("hello")
    with pytest.raises(FormatError, match="not an image"):
        load_image(txt)
    good = tmp_path / "ok.png"
    Image.new("RGB", (64, 64), (1, 2, 3)).save(good)
    cut = tmp_path / "cut.png"
    cut.write_bytes(good.read_bytes()[:60])
    with pytest.raises(FormatError):
        load_image(cut)
    with pytest.raises(InputError, match="folder"):
        load_image(tmp_path)
    # found by tests/robustness: os.stat's bare ValueError
    with pytest.raises(InputError, match="NUL"):
        load_image(str(tmp_path / "a\x00b.png"))
