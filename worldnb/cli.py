"""The ``worldnb`` command.

Subcommands (argparse subparsers; engines add theirs to :data:`COMMANDS`):

- ``worldnb generate IMAGE -o scene.wnb [--export scene.glb scene.ply] [--depth ID|PATH]
  [--inpaint ID|PATH] [--seed N]`` — one image to a saved scene.
- ``worldnb studio [SCENE.wnb | IMAGE] [--port P] [--depth ID|PATH] [--inpaint ID|PATH]``
  — the studio as a Voilà web app on 127.0.0.1 (the ``app`` extra).
- ``worldnb vsibench META.json [--families TASK ...] [--boxes fit|published]`` —
  VSI-Bench's questions on the ground-truth boxes, scored per task (table, then JSON).

Errors print one line (what was wrong, what to do, in flags) and exit with status 2; Ctrl-C exits
with 130. Nothing is written unless the whole run succeeds: every output is written to a
temporary file first and moved into place only when all of them are written, so a failed
run leaves files that existed before exactly as they were.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import CancelledError, WorldnbError
from .version import __version__

__all__ = ["COMMANDS", "MODELS_HELP", "as_flags", "build_parser", "main"]


def _add_generate(sub) -> None:
    from .generation.config import GenerationConfig, config_fields

    p = sub.add_parser(
        "generate",
        help="one image → a 3D scene (.wnb), optionally exported",
        description="Turn one image into an explorable 3D scene and save it.",
        epilog=MODELS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("image", help="input image file")
    p.add_argument("-o", "--output", required=True, help="scene file to write (.wnb)")
    p.add_argument(
        "--export",
        nargs="+",
        default=[],
        metavar="FILE",
        help="also export to these files (.glb, .ply, .json)",
    )
    p.add_argument(
        "--depth",
        metavar="ID|PATH",
        help="depth model: Hugging Face id or local folder (default: the built-in model)",
    )
    p.add_argument(
        "--inpaint",
        metavar="ID|PATH",
        help="inpainting pipeline: Hugging Face id or local folder (default: built-in)",
    )
    p.add_argument("--device", default="auto", help="auto, cpu or cuda (default: auto)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    # every GenerationConfig field is an option, with its documented default
    defaults = GenerationConfig()
    for f in config_fields():
        flag = "--" + f.name.replace("_", "-")
        if f.type is bool:
            p.add_argument(
                flag,
                action=argparse.BooleanOptionalAction,
                default=getattr(defaults, f.name),
                help=f.doc,
            )
        else:
            kind = float if f.default is None else f.type
            rng = f" [{f.range[0]}..{f.range[1]}]" if f.range else ""
            p.add_argument(
                flag,
                type=kind,
                default=getattr(defaults, f.name),
                help=f"{f.doc}{rng} (default: {getattr(defaults, f.name)!r})",
            )
    p.set_defaults(func=_run_generate)


def _run_generate(args: argparse.Namespace) -> int:
    from .generation import GenerationConfig, generate

    names = [f.name for f in dataclasses.fields(GenerationConfig)]
    cfg = GenerationConfig(**{n: getattr(args, n) for n in names})
    out = Path(args.output)
    if out.suffix.lower() != ".wnb":
        raise WorldnbError(f"-o/--output: expected a .wnb file, got '{out}'")
    for e in args.export:
        if Path(e).suffix.lower() not in (".glb", ".ply", ".json"):
            raise WorldnbError(f"--export: '{e}' is not .glb, .ply or .json")
    _check_outputs([out, *map(Path, args.export)])
    try:
        os.stat(args.image)
    except (FileNotFoundError, NotADirectoryError):
        raise WorldnbError(f"IMAGE: no file at '{args.image}'; check the path") from None
    except OSError as exc:
        raise WorldnbError(f"IMAGE: cannot read '{args.image}': {exc.strerror or exc}") from None
    scene = generate(
        args.image,
        cfg,
        depth=args.depth,
        inpaint=args.inpaint,
        device=args.device,
        progress=not args.quiet,
    )
    from .scene.io import all_or_nothing

    with all_or_nothing():  # files move into place only when every one is written
        written = [scene.save(out), *(scene.export(e) for e in args.export)]
    if not args.quiet:
        t = sum(scene.meta["timings"].values())
        for w in written:
            sys.stdout.write(f"wrote {w}\n")
        sys.stdout.write(f"generated in {t:.1f} s\n")
    return 0


def _is_dir(p: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(p).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as exc:  # a name too long, a symlink loop, no permission
        raise WorldnbError(f"{p}: cannot use this path: {exc.strerror or exc}") from None


def _check_outputs(paths: list[Path]) -> None:
    """Refuse unusable or repeated output paths before any work is done."""
    seen: dict[str, Path] = {}
    for p in paths:
        if not _is_dir(p.parent):
            raise WorldnbError(f"{p}: the folder {p.parent} does not exist; create it first")
        if _is_dir(p):
            raise WorldnbError(f"{p}: is a folder; give a file name")
        key = os.path.realpath(p)
        if key in seen:
            raise WorldnbError(f"{p}: the same file as {seen[key]}; name each output once")
        seen[key] = p


def _add_studio(sub) -> None:
    p = sub.add_parser(
        "studio",
        help="the studio (view, questions, layouts, generation) as a web app",
        description=(
            "Serve the worldnb studio as a Voilà web app on 127.0.0.1: a scene file is "
            "shown, an image waits in the Generate tab, nothing opens a furnished living "
            "room. Needs the app extra: pip install 'worldnb[app]'."
        ),
        epilog=MODELS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("target", nargs="?", metavar="SCENE.wnb|IMAGE", help="what to open")
    p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default: 8866)")
    p.add_argument("--token", help="the URL's token (default: a new random one)")
    for name, what in (("depth", "depth model"), ("inpaint", "inpainting pipeline")):
        p.add_argument(
            f"--{name}",
            metavar="ID|PATH",
            help=f"the Generate tab's {what}: Hugging Face id or local folder "
            "(default: the built-in model)",
        )
    p.add_argument(
        "--segment",
        metavar="ID|PATH",
        help="the Generate tab's segmentation model (default: the built-in model)",
    )
    p.set_defaults(func=_run_studio)


def _run_studio(args: argparse.Namespace) -> int:
    from .widgets.app import serve_studio

    return serve_studio(
        args.target,
        port=args.port,
        token=args.token,
        depth=args.depth,
        inpaint=args.inpaint,
        segment=args.segment,
    )


def as_flags(message: str) -> str:
    """An error message with the Python argument names it uses turned into this
    command's flags: ``pass depth=<...>`` → ``pass --depth <...>``, ``set n_views=0`` →
    ``set --n-views 0``; callables, which a command line cannot pass, are not offered."""
    from .generation.config import config_fields

    names = [f.name for f in config_fields()] + ["depth", "inpaint", "segment", "device"]
    out = message.replace(" | callable>", ">").replace(", or a callable", "")
    out = out.replace(" or a callable", "")
    for name in sorted(names, key=len, reverse=True):
        flag = "--" + name.replace("_", "-")
        out = re.sub(rf"\bGenerationConfig\.{name}\b", flag, out)
        out = re.sub(rf"(?<![\w.-]){name}=", f"{flag} ", out)
        if "_" in name:  # unambiguous identifiers (n_views), never plain words (depth)
            out = re.sub(rf"(?<![\w.-]){name}\b", flag, out)
    return out


def _add_vsibench(sub) -> None:
    from .spatial.vsibench import add_parser

    add_parser(sub)


#: name → function adding the subcommand to the subparsers object.
COMMANDS: dict[str, Callable] = {
    "generate": _add_generate,
    "studio": _add_studio,
    "vsibench": _add_vsibench,
}

#: Shown by --help: the built-in models, and models one can name (they download once,
#: then work offline).
MODELS_HELP = """models: unless --depth / --inpaint name others, the built-in models shipped with
worldnb are used (small, trained on procedural rooms, offline: no download).
Other models to try (Hugging Face ids; downloaded once with `hf download ID`):
  --depth depth-anything/Depth-Anything-V2-Small-hf   relative depth, 25 M parameters
  --depth Intel/zoedepth-nyu-kitti                     metric depth (metres)
  --inpaint stabilityai/stable-diffusion-2-inpainting  fills the unseen views
  --n-views 0                                          no inpainting model needed
A local folder written by save_pretrained works as well, e.g. the tiny test models
from worldnb.testing.build_tiny_depth_model / build_tiny_inpaint_pipeline."""


def build_parser() -> argparse.ArgumentParser:
    """The ``worldnb`` argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="worldnb",
        description="worldnb: one image to an interactive 3D scene.",
        epilog=MODELS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"worldnb {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS.values():
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except (CancelledError, KeyboardInterrupt):
        sys.stderr.write("worldnb: cancelled; nothing was written\n")
        return 130
    except WorldnbError as exc:
        sys.stderr.write(f"worldnb {args.command}: error: {as_flags(str(exc))}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
