"""Render a camera path to an animated GIF (Pillow) or an MP4 (when an encoder exists)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from ..errors import BackendError, InputError
from .render import render

__all__ = ["render_video"]


def render_video(
    scene,
    cameras,
    path,
    *,
    fps: float = 12.0,
    maps=("rgb",),
    progress: bool = True,
    **render_kw,
) -> Path:
    """Render each camera and write the frames as a video.

    Args:
        scene: what :func:`~worldnb.rendering.render` accepts.
        cameras: list of :class:`~worldnb.Camera` (e.g. from :func:`orbit`).
        path: output file, ``.gif`` (Pillow, always available) or ``.mp4`` (needs the
            optional ``imageio-ffmpeg`` package).
        fps: frames per second.
        maps: maps shown per frame, side by side (``"rgb"``, ``"depth"``, ``"normals"``,
            ``"instance"``, ``"semantic"``, ``"alpha"``).
        progress: show a tqdm progress bar.
        **render_kw: passed to :func:`~worldnb.rendering.render`.

    Returns:
        The path written. The file appears only when complete (written to a temporary
        file first, then renamed).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise InputError(f"path: expected a .gif or .mp4 file name, got {path.name!r}")
    if suffix == ".mp4":
        try:
            import imageio_ffmpeg  # noqa: F401
        except ImportError:
            raise BackendError(
                "render_video: writing .mp4 needs an encoder; pip install imageio-ffmpeg, "
                "or write a .gif"
            ) from None
    cameras = list(cameras)
    if not cameras:
        raise InputError("cameras: expected at least one camera")
    fps = float(fps)
    if not np.isfinite(fps) or fps <= 0:
        raise InputError(f"fps: expected a positive number, got {fps}")
    maps = (maps,) if isinstance(maps, str) else tuple(maps)
    frames = []
    for cam in tqdm(cameras, desc="render_video", disable=not progress, leave=False):
        frames.append(render(scene, cam, **render_kw).panel(maps))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=suffix, dir=path.parent)
    except OSError as exc:  # a name too long, a read-only folder
        raise InputError(f"{path}: cannot write it: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        if suffix == ".gif":
            frames[0].save(tmp, save_all=True, append_images=frames[1:],
                           duration=round(1000 / fps), loop=0)  # fmt: skip
        else:
            import imageio.v2 as imageio

            with imageio.get_writer(tmp, fps=fps, codec="libx264", macro_block_size=1) as w:
                for f in frames:
                    w.append_data(np.asarray(f))
        os.replace(tmp, path)
    except OSError as exc:  # disk full, a name too long; the old file (if any) is kept
        raise InputError(f"{path}: cannot write it: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path
