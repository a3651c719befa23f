import numpy as np
import pytest
import torch

from worldnb.errors import BackendError, InputError
from worldnb.generation import DiffusersInpaint, as_inpainter


@pytest.fixture
def image_and_mask():
    rng = np.random.default_rng(0)
    img = rng.random((40, 52, 3)).astype(np.float32)  # not a multiple of 8 on purpose
    mask = np.zeros((40, 52), bool)
    mask[10:30, 12:40] = True
    return img, mask


def test_diffusers_folder_fills_only_the_mask_and_is_seeded(tiny_sd, image_and_mask):
    img, mask = image_and_mask
    inp = as_inpainter(str(tiny_sd), device="cpu")
    assert isinstance(inp, DiffusersInpaint)
    kw = {"prompt": "a chair", "steps": 3, "guidance_scale": 5.0, "strength": 1.0}
    a = inp(img, mask, generator=torch.Generator().manual_seed(1), **kw)
    b = inp(img, mask, generator=torch.Generator().manual_seed(1), **kw)
    c = inp(img, mask, generator=torch.Generator().manual_seed(2), **kw)
    assert a.shape == img.shape and a.dtype == np.float32
    assert np.array_equal(a[~mask], img[~mask])  # known pixels kept exactly
    assert np.array_equal(a, b)  # same seed → same pixels
    assert not np.array_equal(a[mask], c[mask])  # another seed → other pixels
    assert 0 <= a.min() and a.max() <= 1


def test_offline_hub_id_and_bad_folders(tmp_path, tiny_dpt):
    with pytest.raises(BackendError, match=r"no local copy of 'someone/sd-inpaint'.*folder"):
        as_inpainter("someone/sd-inpaint")
    with pytest.raises(BackendError, match="not a diffusers inpainting pipeline"):
        as_inpainter(str(tiny_dpt))  # a depth model folder is not a pipeline
    assert as_inpainter("builtin").name == as_inpainter(None).name == "builtin:inpaint"


def test_callables_are_validated(image_and_mask):
    img, mask = image_and_mask
    good = as_inpainter(lambda image, mask: np.zeros_like(image))
    out = good(img, mask, steps=3)  # keywords it does not take are not passed
    assert np.all(out[mask] == 0) and np.array_equal(out[~mask], img[~mask])
    u8 = as_inpainter(lambda image, mask, **kw: np.full(image.shape, 255, np.uint8))
    assert np.allclose(u8(img, mask)[mask], 1.0)
    for what, fn in {
        "shape": lambda image, mask: np.zeros((4, 4, 3)),
        "NaN": lambda image, mask: np.full(image.shape, np.nan),
        r"\[0, 1\]": lambda image, mask: np.full(image.shape, 3.0),
        "expected an": lambda image, mask: None,
    }.items():
        with pytest.raises(BackendError, match=what):
            as_inpainter(fn)(img, mask)
    with pytest.raises(InputError, match="mask"):
        good(img, mask[:10])
