"""Test stand-ins: tiny random-weight models and oracle backends (as ``numpy.testing``).

Nothing in the library imports this module; tests, notebooks, benchmarks and docs do.

- :func:`build_tiny_depth_model` / :func:`build_tiny_inpaint_pipeline` write tiny
  random-weight transformers / diffusers models built from configs. They exercise
  exactly the code path a Hugging Face id takes (``save_pretrained`` to a folder, then
  ``from_pretrained`` through :class:`~worldnb.generation.TransformersDepth` /
  :class:`~worldnb.generation.DiffusersInpaint`) without a download. Their *outputs*
  are noise: use them for plumbing, timings and widgets, never for quality.
- :class:`OracleDepth` / :class:`OracleInpaint` *render the true scene*: given the
  scene an input image was rendered from and the camera that rendered it, the first
  returns the exact depth and the second fills holes with what the true scene shows
  there. They take the optional ``view`` keyword (a
  :class:`~worldnb.generation.ViewContext`), which tells them where a generated view's
  camera sits relative to the input camera.
- :class:`OracleSegmenter` renders the true scene's classes and instances (a
  :class:`~worldnb.generation.Segmentation`: floor, wall, ceiling, door, window and the
  object labels; instance = the true object id), and :class:`PerturbedDepth` spoils a
  depth backend (scale error, noise) so tests do not lean on perfect oracles only.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .generation.depth import DepthPrediction, as_depth_estimator
from .generation.path import ViewContext
from .generation.quiet import quiet_known_warnings
from .generation.segment import STRUCTURE_LABELS, Segmentation
from .scene import Camera, Scene

__all__ = [
    "OracleDepth",
    "OracleInpaint",
    "OracleSegmenter",
    "PerturbedDepth",
    "build_tiny_depth_model",
    "build_tiny_inpaint_pipeline",
]


@quiet_known_warnings()
def build_tiny_depth_model(folder: str | Path, arch: str = "dpt", seed: int = 0) -> Path:
    """Write a ~0.3–0.5 M-parameter depth model (``"dpt"`` or ``"depth_anything"``)."""
    from transformers import (
        DepthAnythingConfig,
        DepthAnythingForDepthEstimation,
        Dinov2Config,
        DPTConfig,
        DPTForDepthEstimation,
        DPTImageProcessor,
    )

    folder = Path(folder)
    torch.manual_seed(seed)
    if arch == "dpt":
        cfg = DPTConfig(
            hidden_size=32,
            num_hidden_layers=4,
            num_attention_heads=4,
            intermediate_size=64,
            image_size=128,
            patch_size=16,
            backbone_out_indices=[0, 1, 2, 3],
            neck_hidden_sizes=[16, 32, 32, 64],
            fusion_hidden_size=32,
            use_auxiliary_head=False,
            readout_type="project",
        )
        model = DPTForDepthEstimation(cfg)
        proc = DPTImageProcessor(
            do_resize=True,
            size={"height": 128, "width": 128},
            keep_aspect_ratio=False,
            ensure_multiple_of=16,
            do_normalize=True,
            image_mean=[0.5] * 3,
            image_std=[0.5] * 3,
        )
    elif arch == "depth_anything":
        backbone = Dinov2Config(
            hidden_size=48,
            num_hidden_layers=4,
            num_attention_heads=4,
            intermediate_size=96,
            patch_size=14,
            image_size=518,
            out_features=["stage1", "stage2", "stage3", "stage4"],
            reshape_hidden_states=False,
        )
        cfg = DepthAnythingConfig(
            backbone_config=backbone,
            patch_size=14,
            reassemble_hidden_size=48,
            neck_hidden_sizes=[16, 32, 48, 64],
            fusion_hidden_size=32,
            head_hidden_size=16,
            depth_estimation_type="relative",
        )
        model = DepthAnythingForDepthEstimation(cfg)
        proc = DPTImageProcessor(
            do_resize=True,
            size={"height": 126, "width": 126},
            keep_aspect_ratio=True,
            ensure_multiple_of=14,
            do_normalize=True,
            image_mean=[0.485, 0.456, 0.406],
            image_std=[0.229, 0.224, 0.225],
        )
    else:
        raise ValueError(f"arch: expected 'dpt' or 'depth_anything', got {arch!r}")
    model.eval().save_pretrained(folder)
    proc.save_pretrained(folder)
    return folder


def _tiny_clip_tokenizer(max_length: int = 16):
    """A byte-level CLIP tokenizer from Python objects (no vocab files, no merges)."""
    from transformers import CLIPTokenizer

    bs = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    syms = [chr(c) for c in cs]
    vocab = {s: i for i, s in enumerate(syms)}
    vocab.update({s + "</w>": i + 256 for i, s in enumerate(syms)})
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=max_length), vocab


@quiet_known_warnings()
def build_tiny_inpaint_pipeline(folder: str | Path, seed: int = 0) -> Path:
    """Write a ~5 MB Stable-Diffusion-style inpainting pipeline (UNet in 9 channels)."""
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionInpaintPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel

    folder = Path(folder)
    torch.manual_seed(seed)
    tokenizer, vocab = _tiny_clip_tokenizer()
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(vocab),
            hidden_size=32,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            max_position_embeddings=16,
            bos_token_id=vocab["<|startoftext|>"],
            eos_token_id=vocab["<|endoftext|>"],
            pad_token_id=vocab["<|endoftext|>"],
            projection_dim=32,
        )
    )
    unet = UNet2DConditionModel(
        sample_size=8,
        in_channels=9,
        out_channels=4,
        layers_per_block=1,
        block_out_channels=(32, 64),
        norm_num_groups=8,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32,
        attention_head_dim=8,
    )
    vae = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        latent_channels=4,
        block_out_channels=(16, 32, 32, 32),
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        layers_per_block=1,
        norm_num_groups=8,
        sample_size=64,
    )
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
    )
    pipe = StableDiffusionInpaintPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipe.save_pretrained(folder)
    return folder


class _Oracle:
    def __init__(self, scene: Scene, camera: Camera, layers=None, device: str = "auto"):
        self.scene, self.camera, self.layers, self.device = scene, camera, layers, device

    def _render(self, view: ViewContext | None, shape):
        from .rendering import render

        cam = self.camera
        if view is not None and view.camera is not None:
            T = self.camera.T_world_camera.astype(np.float64) @ view.T_input_view
            cam = Camera(
                view.camera.K,
                view.camera.width,
                view.camera.height,
                T,
                self.camera.near,
                self.camera.far,
            )
        if (cam.height, cam.width) != tuple(shape):
            cam = cam.resized(shape[1], shape[0])
        return render(self.scene, cam, layers=self.layers, device=self.device), cam


class OracleDepth(_Oracle):
    """Exact metric depth (and field of view) of the true scene at each view.

    Pixels that see nothing get depth 0 ("unknown").
    """

    name = "oracle-depth"

    def __call__(self, rgb: np.ndarray, view: ViewContext | None = None) -> DepthPrediction:
        out, cam = self._render(view, rgb.shape[:2])
        depth = np.where(np.isfinite(out.depth), out.depth, 0.0).astype(np.float32)
        return DepthPrediction(depth, "metric", fov_deg=cam.fov_y_deg)


class OracleInpaint(_Oracle):
    """Fills the masked pixels with a render of the true scene (what a perfect
    inpainting model would paint); the prompt and diffusion settings are ignored."""

    name = "oracle-inpaint"

    def __call__(
        self,
        image,
        mask,
        prompt=None,
        steps=20,
        guidance_scale=7.5,
        strength=1.0,
        generator=None,
        view: ViewContext | None = None,
    ) -> np.ndarray:
        out, _ = self._render(view, image.shape[:2])
        return np.where(mask[..., None], out.rgb, image).astype(np.float32)


class OracleSegmenter(_Oracle):
    """The true scene's classes and instances at the input view (a perfect segmenter).

    Labels are ``["none", "floor", "wall", "ceiling", "door", "window", *scene.labels()]``;
    room-shell pixels are told apart by where they lie
    (:func:`worldnb.worlds.surface_map`); an object's instance is its id (so object
    ids must be > 0, as :func:`~worldnb.worlds.sample_room` gives them).
    """

    name = "oracle-segment"

    def __call__(self, rgb: np.ndarray, view: ViewContext | None = None) -> Segmentation:
        from .worlds import surface_map

        out, cam = self._render(view, rgb.shape[:2])
        labels = ["none", *STRUCTURE_LABELS, *out.labels]
        surface = surface_map(out.depth, out.normals, out.instance, cam, self.scene.room)
        sem = np.where((surface >= 1) & (surface <= 5), surface, 0).astype(np.int32)
        if self.scene.room is not None:  # through a window or door opening nothing is hit
            sem = np.where(np.isfinite(out.depth), sem, _openings_seen(cam, self.scene.room))
        obj = out.instance >= 0
        sem = np.where(obj, 1 + len(STRUCTURE_LABELS) + out.semantic, sem).astype(np.int32)
        inst = np.where(obj & (out.instance > 0), out.instance, 0).astype(np.int32)
        return Segmentation(sem, inst, labels, np.ones(sem.shape, np.float32))


class PerturbedDepth:
    """A depth backend made worse: metric depth times ``scale``, times
    ``1 + noise·N(0, 1)`` per pixel (seeded), times a smooth low-frequency ``warp``, to
    test what a real model's errors do.

    Args:
        depth: the backend to spoil (e.g. :class:`OracleDepth`); its output is read as
            metric depth.
        scale: a global scale error (0.9: everything 10 % nearer and smaller).
        noise: relative per-pixel noise (standard deviation).
        seed: the noise's seed (a generated view draws its own noise from it and its name).
        warp: peak relative amplitude of a smooth warp ``1 + warp · sin(πx/W) cos(πy/H)``
            (an error an affine scale + shift fit cannot take out).
        generated_only: leave the input view (``view`` None or without a camera) exact
            and spoil only the generated views' depth.
    """

    name = "perturbed-depth"

    def __init__(
        self,
        depth,
        scale: float = 0.9,
        noise: float = 0.01,
        seed: int = 0,
        warp: float = 0.0,
        generated_only: bool = False,
    ):
        self.depth = as_depth_estimator(depth)
        self.scale, self.noise, self.seed = float(scale), float(noise), int(seed)
        self.warp, self.generated_only = float(warp), bool(generated_only)

    def __call__(self, rgb: np.ndarray, view: ViewContext | None = None) -> DepthPrediction:
        pred = self.depth(rgb, view=view)
        generated = view is not None and view.camera is not None
        if self.generated_only and not generated:
            return pred
        salt = [self.seed, *map(ord, view.name)] if generated else self.seed
        rng = np.random.default_rng(salt)
        d = pred.depth * self.scale * (1 + self.noise * rng.standard_normal(pred.depth.shape))
        if self.warp:
            h, w = d.shape
            y, x = np.mgrid[0:h, 0:w] + 0.5
            d = d * (1 + self.warp * np.sin(np.pi * x / w) * np.cos(np.pi * y / h))
        d = np.where(pred.depth > 0, np.maximum(d, 1e-3), 0).astype(np.float32)
        return DepthPrediction(d, "metric", pred.fov_deg)


def _openings_seen(cam: Camera, room) -> np.ndarray:
    """(H, W) int32: 4 (door) / 5 (window) where the pixel's ray passes through an
    opening of the room's walls, else 0."""
    T = cam.T_world_camera.astype(np.float64)
    dirs = cam.pixel_rays().astype(np.float64) @ T[:3, :3].T
    o = T[:3, 3]
    out = np.zeros(dirs.shape[:2], np.int32)
    best = np.full(dirs.shape[:2], np.inf)
    for op in room.openings:
        w = room.wall(op.wall)
        n, a, d = (np.asarray(v, np.float64) for v in (w.normal, w.start, w.direction))
        denom = dirs[..., [0, 2]] @ n
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((a - o[[0, 2]]) @ n) / denom
            hit = o + t[..., None] * dirs
            along = (hit[..., [0, 2]] - a) @ d
        inside = (
            (t > 0) & (np.abs(along - op.offset) <= op.width / 2)
            & (hit[..., 1] >= op.sill) & (hit[..., 1] <= op.sill + op.height) & (t < best)
        )  # fmt: skip
        out[inside] = 4 if op.kind == "door" else 5
        best[inside] = t[inside]
    return out
