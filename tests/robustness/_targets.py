"""The public entry points under fuzz: how to draw a case and how to call it.

A target is a strategy (one hypothesis value per case) and a call. The call may raise
any :class:`~worldnb.errors.WorldnbError`; anything else escaping is a defect. Calls
that write files over an existing one report whether the old file survived a failure
("files intact").

"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from _values import args, arrays, floats_in, junk, maybe, numbers, vec3
from hypothesis import strategies as st


@dataclass
class Outcome:
    """What a call reports besides its exception: files it checked after a failure."""

    files_checked: int = 0
    files_intact: int = 0
    label: str | None = None  # reported instead of "ok" (the CLI's exit status)
    note: str | None = None  # what the call said (the CLI's last line on stderr)


@dataclass
class Context:
    """Per-worker resources: a scratch folder and things built once (tiny models), and
    ``outcome``, which the worker resets before each call and reads after it (also
    when the call raised)."""

    root: Path
    n: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    outcome: Outcome = field(default_factory=Outcome)

    def folder(self) -> Path:
        """A fresh, empty folder for one case."""
        self.n += 1
        d = self.root / f"case{self.n:05d}"
        d.mkdir()
        return d


@dataclass
class Target:
    name: str
    strategy: Any  # Context -> SearchStrategy
    call: Any  # (Context, value) -> None; may set ctx.outcome
    setup: Any = None  # Context -> None


# ---- shared builders -------------------------------------------------------------------


def _room_scene(seed: int = 0):
    """A small furnished scene with a camera (ask / render / save)."""
    from worldnb import Camera, OrientedBox, Scene
    from worldnb.scene import Opening, Room

    room = Room.rectangle(4, 3.5, openings=[Opening("door", "wall_0", 1.0, 0.9)])
    s = Scene(room=room)
    s.add_object("bed", OrientedBox((-1, 0.3, 0), (1.6, 0.6, 2.0)), front=True, color="red")
    s.add_object("chair", OrientedBox((1.5, 0.45, 0.5), (0.5, 0.9, 0.5), 0.3), front=True)
    s.add_object("chair", OrientedBox((1.2, 0.45, -1.0), (0.5, 0.9, 0.5)), front=True)
    s.add_object("desk", OrientedBox((1.4, 0.38, -0.2), (1.2, 0.76, 0.6)))
    s.cameras["main"] = Camera.look_at((0, 1.6, 1.7), (0, 0.5, 0), width=32, height=24)
    return s


_KINDS = ("points", "mesh", "gaussians")


def _layer(kind: str, n: int, seed: int, scale: float, bad: float | None):
    from worldnb import Gaussians, Mesh, PointCloud

    rng = np.random.default_rng(seed)
    xyz = rng.normal(0, scale, (n, 3))
    if bad is not None and n:
        xyz[0, 0] = bad
    if kind == "points":
        return PointCloud(xyz, rng.uniform(0, 1, (n, 3)), instance=rng.integers(-1, 5, n))
    if kind == "mesh":
        faces = rng.integers(0, max(n, 1), (max(n - 2, 0), 3))
        return Mesh(xyz, faces, vertex_colors=rng.uniform(0, 1, (n, 3)))
    return Gaussians(
        xyz,
        rng.normal(-2, 1 if bad is None else abs(bad) % 100, (n, 3)),  # log-scales, some huge
        rng.normal(0, 1, (n, 4)),
        rng.normal(0, 2, n),
        rng.uniform(0, 1, (n, 3)),
    )


# ---- render ------------------------------------------------------------------------


def _render_strategy(ctx):
    layer = st.tuples(
        st.sampled_from(["points", "mesh", "gaussians"]),
        st.integers(0, 40),
        st.integers(0, 1000),
        st.sampled_from([0.5, 2.0, 1e3, 1e30]),
        st.none() | st.sampled_from([float("nan"), 1e39, -1e30, 80.0]),
    )
    scene = st.one_of(
        st.just("room"),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), layer, max_size=3),
        layer,
    )
    camera = args(
        eye=vec3(-4, 4).map(lambda e: (e[0] + 0.5, e[1] + 2.5, e[2] + 3.0)),  # off the target
        target=vec3(-2, 2),
        fov_y_deg=floats_in(1, 179),
        width=st.integers(1, 48),
        height=st.integers(1, 48),
    )
    kw = args(
        scene=scene,
        camera=camera,
        layers=st.none() | st.lists(st.sampled_from(["a", "b", "objects", "x"])),
        background=vec3(0, 1) | st.sampled_from(["white", "black", "#336699", "teal", "nope"]),
        device=st.sampled_from(["auto", "cpu", "cpu", "cuda", "cuda:1", "meta", "mps", "cpu:0"]),
        point_radius=floats_in(0, 6) | numbers(),
        allow_large=st.booleans(),
    )
    return st.tuples(st.integers(0, 3), kw)  # (cameras in a batch, 0 = one camera; render's)


def _render_call(ctx, case):
    import worldnb

    n_cams, v = case
    scene = v["scene"]
    if isinstance(scene, str) and scene == "room":
        scene = _room_scene()
    elif isinstance(scene, dict) and all(isinstance(x, tuple) for x in scene.values()):
        scene = {k: _layer(*spec) for k, spec in scene.items()}
    elif isinstance(scene, tuple) and len(scene) == 5 and scene[0] in _KINDS:
        scene = _layer(*scene)
    cam = v["camera"]
    if isinstance(cam, dict) and set(cam) == {"eye", "target", "fov_y_deg", "width", "height"}:
        cam = worldnb.Camera.look_at(**cam)
    cams = cam if n_cams == 0 else [cam] * n_cams
    out = worldnb.render(
        scene,
        cams,
        layers=v["layers"],
        background=v["background"],
        device=v["device"],
        point_radius=v["point_radius"],
        allow_large=v["allow_large"],
    )
    assert np.isfinite(out.rgb).all(), "render returned non-finite colours"


# ---- ask -----------------------------------------------------------------------------

WORDS = (
    "how many what is the a an of to from far near left right behind in front between "
    "bed chair chairs desk door window wall room sofa piano table biggest smallest closest "
    "which size tall wide long metres cm feet ? , . 's from the camera 's view facing on "
    "under above next is are there Options: A. B. C. D. Answer with the option's letter"
).split()


def _ask_strategy(ctx):
    question = st.one_of(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=16).map(" ".join),
        st.text(max_size=60),
        st.sampled_from(["", " ", "?" * 3000, "how far is the bed from the door?\x00"]),
    )
    return args(
        question=question,
        near=floats_in(0.01, 5),
        frame=st.sampled_from([None, None, "room", "viewer", "main", "other"]),
        exact_labels=st.booleans(),
        scene=st.sampled_from(["furnished", "furnished", "empty", "no room"]),
    )


def _ask_call(ctx, v):
    from worldnb import Scene
    from worldnb.spatial import ask

    scene = v["scene"]
    if isinstance(scene, str):
        scene = {
            "furnished": ctx.extra["scene"],
            "empty": Scene(room=ctx.extra["scene"].room),
            "no room": Scene(),
        }.get(scene, scene)
    a = ask(scene, v["question"], near=v["near"], frame=v["frame"], exact_labels=v["exact_labels"])
    assert isinstance(a.text, str) and a.text, "an Answer without a sentence"


def _ask_setup(ctx):
    ctx.extra["scene"] = _room_scene()


# ---- plan ----------------------------------------------------------------------------


def _plan_strategy(ctx):
    from worldnb.catalog import categories

    cats = categories()
    item = st.one_of(
        st.sampled_from(cats),
        st.sampled_from(cats),
        st.sampled_from(cats),
        st.tuples(st.sampled_from(cats), st.tuples(*[floats_in(0.05, 3)] * 3)),
        st.sampled_from(["piano", "", "BED", "chair_1"]),  # names that are not in the catalog
    )
    opening = st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["door", "window"]),
            "wall": st.integers(0, 3),
            "offset": floats_in(0.6, 1.2),
            "width": floats_in(0.4, 1.0),
        }
    )
    return args(
        room=st.tuples(floats_in(2.5, 9), floats_in(2.5, 9), st.lists(opening, max_size=2)),
        items=st.lists(item, min_size=1, max_size=6),
        seed=st.integers(0, 2**64),
        time_limit=floats_in(0.05, 0.3),
        walkway=floats_in(0.5, 1.5),
        rotations=st.none() | st.sampled_from([90, 90, 90, 45, 30.0, 360]),
        explain=st.booleans(),
    )


def _plan_call(ctx, v):
    from worldnb.layout import plan
    from worldnb.scene import Room

    spec = v["room"]
    if isinstance(spec, tuple) and len(spec) == 3:
        room = Room.rectangle(spec[0], spec[1], openings=spec[2])
    else:
        room = spec
    tl = v["time_limit"]
    if isinstance(tl, int | float) and not isinstance(tl, bool) and tl > 1:
        tl = 1.0  # a fuzz case is not a benchmark: keep huge limits short
    res = plan(room, v["items"], seed=v["seed"], time_limit=tl, walkway=v["walkway"],
               rotations=v["rotations"], explain=v["explain"])  # fmt: skip
    assert all(c["satisfied"] for c in res.constraints if c["hard"]), "a hard rule is broken"


# ---- sample_room ---------------------------------------------------------------------


def _sample_strategy(ctx):
    from worldnb.worlds import ROOM_KINDS

    return args(
        kind=st.sampled_from(ROOM_KINDS),
        seed=st.integers(0, 10**6),
        size=st.none() | st.tuples(floats_in(1.5, 6), floats_in(1.5, 6)),
        time_limit=floats_in(0.05, 0.2),
    )


def _sample_call(ctx, v):
    from worldnb.worlds import sample_room

    tl = v["time_limit"]
    if isinstance(tl, int | float) and not isinstance(tl, bool) and tl > 0.3:
        tl = 0.3
    scene = sample_room(v["kind"], seed=v["seed"], size=v["size"], time_limit=tl)
    assert scene.objects, "a furnished room with no furniture"


# ---- load ----------------------------------------------------------------------------

SUFFIXES = [".wnb", ".glb", ".gltf", ".ply", ".json", ".WNB", ".txt", ""]


def _load_setup(ctx):
    s = _room_scene()
    from worldnb import PointCloud

    s.layers["points"] = PointCloud(np.random.default_rng(0).normal(0, 1, (20, 3)))
    d = ctx.folder()
    ctx.extra["seeds"] = {
        ".wnb": s.save(d / "s.wnb").read_bytes(),
        ".glb": s.export(d / "s.glb").read_bytes(),
        ".json": s.export(d / "s.json").read_bytes(),
        ".ply": s.export(d / "s.ply", layer="points").read_bytes(),
        ".gltf": b'{"asset": {"version": "2.0"}, "buffers": [{"uri": "../../etc/passwd"}]}',
    }


def _mutate(data: bytes, ops: list, seed: int) -> bytes:
    buf = bytearray(data)
    rng = np.random.default_rng(seed)
    for op in ops:
        if not buf:
            break
        i = int(rng.integers(0, len(buf)))
        if op == "flip":
            buf[i] ^= 1 << int(rng.integers(0, 8))
        elif op == "cut":
            del buf[i:]
        elif op == "dup":
            buf[i:i] = buf[i : i + int(rng.integers(1, 64))]
        elif op == "zero":
            buf[i : i + 8] = bytes(8)
        elif op == "max":
            buf[i : i + 4] = b"\xff\xff\xff\x7f"
    return bytes(buf)


def _load_strategy(ctx):
    ops = st.lists(st.sampled_from(["flip", "cut", "dup", "zero", "max"]), max_size=4)
    return st.builds(
        dict,
        base=st.sampled_from([".wnb", ".glb", ".json", ".ply", ".gltf"]),
        ops=ops,
        seed=st.integers(0, 2**32 - 1),
        suffix=st.sampled_from(SUFFIXES),
        raw=st.one_of(st.none(), st.none(), st.binary(max_size=200)),
        path=maybe(st.sampled_from(["file"] * 6 + ["missing", "folder", "fifo"]), 8),
        options=maybe(st.just({}), 6)
        | st.dictionaries(st.sampled_from(["layer", "evil"]), junk(), max_size=1),
    )


def _load_call(ctx, v):
    import worldnb

    d = ctx.folder()
    path = v["path"]
    if not isinstance(path, str):
        pass  # junk goes to load as it is
    elif path == "file":
        data = v["raw"] if v["raw"] is not None else ctx.extra["seeds"][v["base"]]
        data = _mutate(data, v["ops"], v["seed"])
        path = d / ("in" + v["suffix"])
        path.write_bytes(data)
    elif path == "missing":
        path = d / "missing.wnb"
    elif path == "folder":
        path = d / "folder.wnb"
        path.mkdir()
    elif path == "fifo":
        path = d / "pipe.wnb"
        os.mkfifo(path)
    before = path.read_bytes() if isinstance(path, Path) and path.is_file() else None
    try:
        opts = v["options"]
        worldnb.load(path, **(opts if isinstance(opts, dict) else {"layer": opts}))
    finally:
        if before is not None:  # loading never touches its input
            assert path.read_bytes() == before, "load changed its input file"


# ---- save (the files-intact check) ---------------------------------------------------


def _save_strategy(ctx):
    return args(
        meta=st.dictionaries(st.text(max_size=5), st.integers() | st.text(max_size=5)),
        attrs=st.dictionaries(st.text(max_size=5), st.integers() | st.floats()),
        image=st.one_of(
            st.tuples(st.integers(1, 8), st.integers(1, 8), st.sampled_from([1, 3, 4])).map(_image),
            arrays(5),
        ),
        name=st.sampled_from(["out.wnb", "out.glb", "out.json", "out.ply", "out.txt", "a/b.wnb"]),
    )


def _save_call(ctx, v):
    from worldnb import OrientedBox

    scene = ctx.extra["scene"].copy()
    d = ctx.folder()
    name = v["name"]
    target = d / name if isinstance(name, str) and name and "\x00" not in name else name
    old = b"the previous version of this file"
    if isinstance(target, Path) and target.parent == d:
        target.write_bytes(old)
    out = ctx.outcome
    try:
        scene.meta = v["meta"]
        scene.add_object("cup", OrientedBox((0, 1, 0), (0.1, 0.1, 0.1)), **_kw(v["attrs"]))
        scene.images["extra"] = v["image"]
        if isinstance(target, Path) and target.suffix == ".wnb":
            scene.save(target)
        else:
            scene.export(target)
    except BaseException:
        if isinstance(target, Path) and target.parent == d:
            out.files_checked = 1
            out.files_intact = int(target.exists() and target.read_bytes() == old)
            if not out.files_intact:
                raise AssertionError(f"a failed save changed {target.name}") from None
        raise


def _kw(attrs):
    if isinstance(attrs, dict) and all(isinstance(k, str) and k.isidentifier() for k in attrs):
        bad = {"label", "box", "front", "geometry", "id"}
        return {k: a for k, a in attrs.items() if k not in bad}
    return {"attr": attrs}


# ---- generate ------------------------------------------------------------------------


def _generate_setup(ctx):
    """The tiny DPT model, built once per cache folder ($WORLDNB_FUZZ_CACHE) and shared."""
    from worldnb.testing import build_tiny_depth_model

    cache = Path(os.environ.get("WORLDNB_FUZZ_CACHE") or ctx.root)
    folder = cache / "tiny-dpt"
    if not (folder / "config.json").is_file():
        build_tiny_depth_model(cache / f"tiny-dpt.{os.getpid()}.tmp").rename(folder)
    ctx.extra["dpt"] = str(folder)


DEPTHS = ["flat", "ramp", "nan", "negative", "shape", "huge", "string", "crash"]


def _depth_callable(kind: str):
    def depth(rgb):
        h, w = rgb.shape[:2]
        if kind == "flat":
            return np.full((h, w), 2.0, np.float32)
        if kind == "ramp":
            return np.linspace(0.5, 8, h * w, dtype=np.float32).reshape(h, w)
        if kind == "nan":
            return np.full((h, w), np.nan, np.float32)
        if kind == "negative":
            return -np.ones((h, w), np.float32)
        if kind == "shape":
            return np.ones((h + 1, w), np.float32)
        if kind == "huge":
            return np.full((h, w), 1e38, np.float32)
        if kind == "string":
            return "not a depth map"
        raise RuntimeError("the user's depth model crashed")

    return depth


def _image(shape) -> np.ndarray:
    return np.random.default_rng(sum(shape)).uniform(0, 1, shape).astype(np.float32)


def _generate_strategy(ctx):
    from worldnb.generation.config import config_fields

    # each field from its documented range (kept small where cost grows with it)
    short = {"max_side": (64, 96), "refine_iters": (0, 3), "n_views": (0, 0)}
    fields = {}
    for f in config_fields():
        lo, hi = short.get(f.name, f.range or (None, None))
        if f.type is int and lo is not None:
            fields[f.name] = st.integers(lo, hi)
        elif f.type is float and lo is not None:
            fields[f.name] = floats_in(lo, hi)
    fields["depth_scale"] = st.none() | fields["depth_scale"]
    cfg = st.one_of(  # good fields, or one of them junk
        st.fixed_dictionaries({}, optional=fields),
        st.sampled_from(sorted(fields)).flatmap(lambda k: junk().map(lambda j: {k: j})),
    )
    size = st.tuples(st.integers(8, 40), st.integers(8, 40), st.sampled_from([3, 3, 1, 4]))
    image = st.one_of(
        size.map(_image),
        size.map(_image),
        size.map(_image),
        arrays(8),
        st.sampled_from(["missing.png", "notes.png"]),
    )
    depth = st.one_of(
        st.sampled_from([*DEPTHS, "ramp", "ramp", "tiny"]),
        st.sampled_from(["tiny", "org/not-downloaded", "builtin", ""]),
    )
    return args(image=image, config=cfg, depth=depth,
                device=st.sampled_from(["cpu", "cpu", "auto", "cuda"]))  # fmt: skip


def _generate_call(ctx, v):
    import worldnb

    image = v["image"]
    if isinstance(image, str) and image in ("missing.png", "notes.png"):
        d = ctx.folder()
        if image == "notes.png":
            (d / image).write_text("not an image")
        image = d / image
    depth = v["depth"]
    if isinstance(depth, str) and depth == "tiny":
        depth = ctx.extra["dpt"]
    elif isinstance(depth, str) and depth in DEPTHS:
        depth = _depth_callable(depth)
    cfg = v["config"]
    fields = {f.name for f in dataclasses.fields(worldnb.GenerationConfig)}
    if isinstance(cfg, dict) and set(cfg) <= fields:  # else the junk goes to generate
        cfg = worldnb.GenerationConfig(**{"n_views": 0, **cfg})
    scene = worldnb.generate(image, cfg, depth=depth, device=v["device"], progress=False)
    assert "mesh" in scene.layers


# ---- the command line ----------------------------------------------------------------

FLAGS = ["--n-views", "--steps", "--seed", "--max-side", "--fov-deg", "--device",
         "--export", "--depth", "--strength", "--surfel-stride", "--quiet", "--bogus"]  # fmt: skip


def _cli_strategy(ctx):
    value = maybe(
        st.sampled_from(["0", "1", "2", "-1", "nan", "inf", "1e309", "cpu", "cuda", "x", "99"]),
        4,
    ).map(lambda v: v if isinstance(v, str) else str(v)[:20])
    return st.builds(
        dict,
        command=st.sampled_from(["generate"] * 8 + ["vsibench", "nope", ""]),
        image=st.sampled_from(["good", "missing", "text", "folder"]),
        output=st.sampled_from(["out.wnb", "out.glb", "sub/out.wnb", "existing.wnb"]),
        flags=st.lists(st.tuples(st.sampled_from(FLAGS), value), max_size=4),
    )


def _cli_setup(ctx):
    from PIL import Image

    d = ctx.folder()
    Image.fromarray((np.random.default_rng(0).uniform(0, 255, (24, 32, 3))).astype(np.uint8)).save(
        d / "good.png"
    )
    (d / "text.png").write_text("not an image")
    ctx.extra["cli"] = d
    _generate_setup(ctx)


def _cli_call(ctx, v):
    from worldnb.cli import main

    src, d = ctx.extra["cli"], ctx.folder()
    image = {"good": src / "good.png", "missing": d / "missing.png", "text": src / "text.png",
             "folder": d}[v["image"]]  # fmt: skip
    out = d / v["output"]
    old = b"a scene from an earlier run"
    if v["output"] == "existing.wnb":
        out.write_bytes(old)
    argv = [v["command"], str(image), "-o", str(out), "--quiet", "--n-views", "0"]
    has_depth = any(f == "--depth" for f, _ in v["flags"])
    if not has_depth:
        argv += ["--depth", ctx.extra["dpt"]]
    for flag, value in v["flags"]:
        argv += [flag] if flag == "--quiet" else [flag, value]
    err = io.StringIO()
    code = None
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: usage error, status 2
            code = exc.code
    assert "Traceback" not in err.getvalue(), err.getvalue()
    assert code in (0, 2, 130), f"exit status {code!r}"
    result = ctx.outcome
    result.label = f"exit {code}"
    result.note = (err.getvalue().strip().splitlines() or [""])[-1][:300]
    if code != 0 and v["output"] == "existing.wnb":
        result.files_checked = 1
        result.files_intact = int(out.read_bytes() == old)
        assert result.files_intact, "a failed command changed an existing output file"


# ---- understand ----------------------------------------------------------------------


def _understand_setup(ctx):
    """A true room with a bed and a chair, its render from one camera, the oracle depth
    and segmenter for that view, and the scene generate() makes from it."""
    import worldnb
    from worldnb.testing import OracleDepth, OracleSegmenter

    true = worldnb.Scene(room=worldnb.Room.rectangle(4, 4, 2.5))
    true.add_object("bed", worldnb.OrientedBox((0, 0.3, -0.8), (1.6, 0.6, 2.0)))
    true.add_object("chair", worldnb.OrientedBox((1.2, 0.45, 0.4), (0.5, 0.9, 0.5)))
    worldnb.catalog.add_meshes(true)
    cam = worldnb.Camera.look_at((0.3, 1.5, 1.9), (0, 0.4, -0.8), width=48, height=40)
    rgb = worldnb.render(true, cam).rgb
    depth, seg = OracleDepth(true, cam), OracleSegmenter(true, cam)
    generated = worldnb.generate(rgb, worldnb.GenerationConfig(n_views=0), depth=depth,
                                 segment=seg, progress=False)  # fmt: skip
    ctx.extra.update(rgb=rgb, depth=depth, seg=seg, generated=generated)


def _segmenter(kind: str, ctx):
    if kind == "oracle":
        return ctx.extra["seg"]

    def seg(rgb):
        h, w = rgb.shape[:2]
        rng = np.random.default_rng(h * w)
        if kind == "ids":
            return rng.integers(-1, 4, (h, w)).astype(np.int32)
        if kind == "shape":
            return np.zeros((h + 2, w), np.int32)
        if kind == "floats":
            return np.full((h, w), np.nan, np.float32)
        raise RuntimeError("the user's segmenter crashed")

    return seg


def _understand_strategy(ctx):
    return args(
        scene_or_image=st.sampled_from(["rgb", "rgb", "generated", "bare scene", "noise"]),
        segment=st.sampled_from(["oracle", "oracle", "ids", "shape", "floats", "crash"])
        | st.sampled_from([None, "builtin"]),
        depth=st.sampled_from(["oracle", "oracle", *DEPTHS]) | st.just("builtin"),
        min_confidence=floats_in(0, 1),
    )


def _understand_call(ctx, v):
    import worldnb

    src = v["scene_or_image"]
    if isinstance(src, str):
        src = {
            "rgb": ctx.extra["rgb"],
            "generated": ctx.extra["generated"],
            "bare scene": worldnb.Scene(),
            "noise": np.random.default_rng(0).uniform(0, 1, (40, 48, 3)).astype(np.float32),
        }.get(src, src)
    segment = v["segment"]
    if isinstance(segment, str) and segment in ("oracle", "ids", "shape", "floats", "crash"):
        segment = _segmenter(segment, ctx)
    depth = v["depth"]
    if isinstance(depth, str) and depth == "oracle":
        depth = ctx.extra["depth"]
    elif isinstance(depth, str) and depth in DEPTHS:
        depth = _depth_callable(depth)
    out = worldnb.understand(src, segment=segment, depth=depth,
                             min_confidence=v["min_confidence"])  # fmt: skip
    assert isinstance(out, worldnb.Scene) and "understand" in out.meta


TARGETS: dict[str, Target] = {
    t.name: t
    for t in [
        Target("load", _load_strategy, _load_call, _load_setup),
        Target("save", _save_strategy, _save_call, _ask_setup),
        Target("render", _render_strategy, _render_call),
        Target("ask", _ask_strategy, _ask_call, _ask_setup),
        Target("plan", _plan_strategy, _plan_call),
        Target("sample_room", _sample_strategy, _sample_call),
        Target("generate", _generate_strategy, _generate_call, _generate_setup),
        Target("cli", _cli_strategy, _cli_call, _cli_setup),
        Target("understand", _understand_strategy, _understand_call, _understand_setup),
    ]
}
