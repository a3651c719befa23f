"""Geometry and pixel checks of composed widgets as the browser lays them out.

:func:`layout_problems` runs in the page on one output element and lists what a user
would see wrong: a canvas squashed below 90 % of its requested size or covered by another
element (``document.elementFromPoint``), a control cut off by an ancestor that clips it
or by the window, a label whose text does not fit ("objec"), a slider readout hidden.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw
from scipy.spatial import ConvexHull

import worldnb as wn

from .harness import color_mask, png_to_array

CONTROLS = (
    ".widget-slider, .widget-checkbox, .widget-dropdown, .widget-text, .widget-textarea, "
    ".widget-colorpicker, button.jupyter-button, .widget-upload"
)

LAYOUT_JS = r"""
([root, want, controls]) => {
  const problems = [];
  const shown = (e) => {
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    for (let a = e; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    return true;
  };
  const name = (e) => {
    const t = (e.innerText || e.value || '').trim().split('\n')[0].slice(0, 30);
    return (t || e.className.split(' ').filter(c => c.startsWith('widget-')).join('.'));
  };
  // the visible rectangle left by every ancestor that clips (sideways: any overflow but
  // visible, and the window; up/down: only ancestors inside the widget that hide overflow,
  // since the notebook itself scrolls)
  const clip = (e) => {
    let l = 0, r = document.documentElement.clientWidth, t = -Infinity, b = Infinity;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a), q = a.getBoundingClientRect();
      const x0 = q.left + a.clientLeft, y0 = q.top + a.clientTop;
      if (s.overflowX !== 'visible') { l = Math.max(l, x0); r = Math.min(r, x0 + a.clientWidth); }
      if (root.contains(a) && (s.overflowY === 'hidden' || s.overflowY === 'clip')) {
        t = Math.max(t, y0); b = Math.min(b, y0 + a.clientHeight);
      }
    }
    return {l, r, t, b};
  };
  const inside = (e) => {
    const q = e.getBoundingClientRect(), c = clip(e);
    return q.left >= c.l - 1 && q.right <= c.r + 1 && q.top >= c.t - 1 && q.bottom <= c.b + 1;
  };
  const onTop = (e, x, y) => {
    const hit = document.elementFromPoint(x, y);
    return !!hit && (hit === e || e.contains(hit));
  };

  const canvas = root.querySelector('canvas');
  if (!canvas || !shown(canvas)) {
    problems.push('no visible canvas');
  } else {
    canvas.scrollIntoView({block: 'center'});
    const q = canvas.getBoundingClientRect();
    if (q.width < 0.9 * want[0] || q.height < 0.9 * want[1])
      problems.push(`canvas ${Math.round(q.width)}x${Math.round(q.height)}`
                    + ` < 90% of ${want[0]}x${want[1]}`);
    if (!inside(canvas)) problems.push('canvas clipped');
    let covered = 0;
    for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.1, 0.5, 0.9])
      if (!onTop(canvas, q.left + fx * q.width, q.top + fy * q.height)) covered += 1;
    if (covered) problems.push(`canvas covered at ${covered} of 9 points`);
  }
  let checked = 0;
  for (const e of root.querySelectorAll(controls)) {
    if (!shown(e)) continue;
    checked += 1;
    if (!inside(e)) {
      const q = e.getBoundingClientRect(), c = clip(e);
      const span = (a, b) => `[${Math.round(a)}..${Math.round(b)}]`;
      problems.push(`clipped: ${name(e)} ${span(q.left, q.right)} in ${span(c.l, c.r)}`);
    }
    const texts = [...e.querySelectorAll('label, .widget-label, .widget-label-basic, span')];
    if (e.matches('button')) texts.push(e);
    for (const t of texts) {
      if (!shown(t) || t.querySelector('input')) continue;
      if (t.scrollWidth > t.clientWidth + 1 && getComputedStyle(t).overflow !== 'visible')
        problems.push(`text cut: '${t.innerText.trim()}' (${t.clientWidth}/${t.scrollWidth} px)`);
    }
    if (e.matches('.widget-slider')) {
      const r = e.querySelector('.widget-readout');
      if (!r || !shown(r) || r.getBoundingClientRect().width < 8) {
        problems.push(`readout hidden: ${name(e)}`);
      } else {
        r.scrollIntoView({block: 'center'});
        const q = r.getBoundingClientRect();
        if (!inside(r) || !onTop(r, q.left + q.width / 2, q.top + q.height / 2))
          problems.push(`readout covered or clipped: ${name(e)}`);
      }
    }
  }
  return {problems, checked};
}
"""


def layout_problems(page, root_css: str, index: int, size: tuple[int, int]) -> tuple[list, int]:
    """(problems, number of controls checked) for the ``index``-th element matching
    ``root_css`` (scrolled into view first)."""
    loc = page.page.locator(root_css).nth(index)
    loc.scroll_into_view_if_needed()
    out = loc.evaluate(f"(root) => ({LAYOUT_JS})([root, {list(size)}, {CONTROLS!r}])")
    return out["problems"], out["checked"]


def canvas_pixels(page, root_css: str, index: int) -> np.ndarray:
    """(H, W, 3) uint8 screenshot of the canvas in the ``index``-th ``root_css`` element."""
    c = page.page.locator(root_css).nth(index).locator("canvas").first
    c.scroll_into_view_if_needed()
    return png_to_array(c.screenshot())


def hex_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])


def background_share(px: np.ndarray, color: str, tol: int = 4) -> float:
    """Share of the canvas' outer ring of pixels that is ``color`` (± tol per channel)."""
    ring = np.concatenate([px[0], px[-1], px[:, 0], px[:, -1]])
    return float(np.mean(np.all(np.abs(ring.astype(int) - hex_rgb(color)) <= tol, axis=-1)))


def box_mask(camera: wn.Camera, box: wn.OrientedBox, shape) -> np.ndarray:
    """(H, W) bool: where ``box`` projects in ``camera``'s image (its corners' hull)."""
    uv, _ = camera.project(box.corners())
    img = Image.new("L", (shape[1], shape[0]), 0)
    ImageDraw.Draw(img).polygon([tuple(p) for p in uv[ConvexHull(uv).vertices]], fill=255)
    return np.asarray(img) > 0


def color_share(px: np.ndarray, mask: np.ndarray, color: str) -> float:
    """Share of the pixels under ``mask`` that are clearly ``color`` (red/green/blue)."""
    return float(color_mask(px, color)[mask].mean()) if mask.any() else 0.0
