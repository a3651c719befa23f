"""Loading a shipped model prints nothing: notebooks show any stderr as a pink box."""

from diffusers.utils import logging as diffusers_logging

from worldnb import models


def test_loading_the_builtin_inpainter_prints_nothing(capfd):
    # without the fix: diffusers' "`accelerate` was not found" warning and its
    # "Loading pipeline components" bar, on every load (generate, the studio, tutorial 5)
    assert diffusers_logging.is_progress_bar_enabled()
    pipe = models.load("inpaint")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")
    assert diffusers_logging.is_progress_bar_enabled()  # the user's setting is restored
    assert type(pipe).__name__ == "PixelInpaintPipeline"
