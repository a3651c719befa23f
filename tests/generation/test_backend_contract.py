"""The one backend contract: a backend is given the keywords its signature takes.

Depth estimators, inpainters and segmenters all follow it; ``view`` (a ViewContext)
reaches exactly the backends that name it (or take ``**kwargs``).
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import worldnb
from worldnb.errors import CancelledError
from worldnb.generation import (
    DepthEstimator,
    GenerationConfig,
    Inpainter,
    Segmenter,
    ViewContext,
    as_depth_estimator,
    as_inpainter,
    as_segmenter,
)
from worldnb.generation._callables import call_backend
from worldnb.generation.pipeline import STAGES


def _record(seen):
    def fn(*args, **kw):
        seen.append(kw)
        return "ok"

    return fn


def test_call_backend_passes_only_what_the_signature_takes():
    seen = []

    def named(rgb, view=None):
        seen.append(("named", view))

    def plain(rgb):
        seen.append(("plain",))

    def gathers(rgb, **kw):
        seen.append(("gathers", sorted(kw)))

    def positional_only(rgb, view=None, /):
        seen.append(("positional_only", view))

    for fn in (named, plain, gathers, positional_only):
        call_backend(fn, "rgb", view="ctx", steps=3)
    assert seen == [
        ("named", "ctx"),
        ("plain",),
        ("gathers", ["steps", "view"]),
        ("positional_only", None),  # cannot be given by keyword: not given
    ]


def test_unreadable_signature_gets_the_protocol_keywords_but_not_view():
    class Opaque:
        __signature__ = "not a signature"  # inspect.signature raises TypeError

        def __call__(self, image, mask, **kw):
            self.kw = kw
            return image

    fn = Opaque()
    with pytest.raises(TypeError):
        inspect.signature(fn)
    call_backend(fn, 1, 2, steps=3, view="ctx")
    assert fn.kw == {"steps": 3}


def test_the_adapters_follow_the_contract():
    rgb = np.zeros((4, 5, 3), np.float32)
    mask = np.zeros((4, 5), bool)
    mask[1, 1] = True
    got = {}

    def depth(rgb, view):
        got["depth"] = view
        return np.ones(rgb.shape[:2])

    def inpaint(image, mask, steps, view):
        got["inpaint"] = (steps, view)
        return image

    def segment(rgb, *, view=None):
        got["segment"] = view
        return np.zeros(rgb.shape[:2], np.int64)

    as_depth_estimator(depth)(rgb, view="d")
    as_inpainter(inpaint)(rgb, mask, steps=4, view="i")
    ids = as_segmenter(segment)(rgb, view="s")
    assert got == {"depth": "d", "inpaint": (4, "i"), "segment": "s"}
    assert ids.dtype == np.int32
    # every adapter satisfies its protocol and names `view` in its own signature
    for adapter, protocol in (
        (as_depth_estimator(depth), DepthEstimator),
        (as_inpainter(inpaint), Inpainter),
        (as_segmenter(segment), Segmenter),
    ):
        assert isinstance(adapter, protocol)
        assert "view" in inspect.signature(adapter).parameters
        assert not hasattr(adapter, "wants_view") and not hasattr(adapter, "accepts")


def test_generate_gives_view_to_every_backend_that_names_it(flat_image):
    depth_views, inpaint_calls, seg_views = [], [], []

    class Depth:  # a user object (not a plain function) with `view`
        def __call__(self, rgb, view=None):
            depth_views.append(view)
            return np.full(rgb.shape[:2], 2.0, np.float32)

    def inpaint(image, mask, **kw):
        inpaint_calls.append(kw)
        return image

    def segment(rgb, view):
        seg_views.append(view)
        return np.zeros(rgb.shape[:2], np.int32)

    worldnb.generate(
        flat_image,
        GenerationConfig(n_views=1, orbit_deg=20, refine_iters=0),
        depth=Depth(),
        inpaint=inpaint,
        segment=segment,
        progress=False,
        device="cpu",
    )
    assert [v.name for v in depth_views] == ["input", "view_01"]
    assert all(isinstance(v, ViewContext) for v in depth_views + seg_views)
    assert [v.name for v in seg_views] == ["input"] and seg_views[0].camera is not None
    assert len(inpaint_calls) == 1
    kw = inpaint_calls[0]
    assert kw["view"].name == "view_01" and kw["view"].camera is not None
    assert set(kw) == {"prompt", "steps", "guidance_scale", "strength", "generator", "view"}


def test_poll_events_are_documented_stages_and_can_cancel(flat_image):
    events = []
    kw = dict(
        depth=lambda rgb: np.full(rgb.shape[:2], 2.0, np.float32),
        inpaint=lambda image, mask: image,
        progress=False,
        device="cpu",
    )
    cfg = GenerationConfig(n_views=2, orbit_deg=20, refine_iters=0)
    worldnb.generate(flat_image, cfg, callback=events.append, **kw)
    assert {e.stage for e in events} <= set(STAGES)
    assert {e.status for e in events} <= {"start", "end", "view", "step", "poll", "geometry"}
    polls = [e for e in events if e.status == "poll"]
    assert polls and {e.stage for e in polls} == {"expand"}
    assert "poll" in worldnb.generation.GenerationEvent.__doc__

    def cancel_at_first_poll(event):
        return event.status != "poll"

    with pytest.raises(CancelledError, match="expand"):
        worldnb.generate(flat_image, cfg, callback=cancel_at_first_poll, **kw)
