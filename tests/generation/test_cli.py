import numpy as np
import pytest
import torch
from PIL import Image

import worldnb
from worldnb.cli import as_flags, build_parser, main


@pytest.fixture
def photo(tmp_path, room_render):
    p = tmp_path / "room.png"
    Image.fromarray((room_render.rgb * 255 + 0.5).astype(np.uint8)).save(p)
    return p


def test_generate_writes_scene_and_exports(tmp_path, photo, tiny_dpt, tiny_sd, capsys):
    out = tmp_path / "scene.wnb"
    glb, ply = tmp_path / "scene.glb", tmp_path / "scene.ply"
    code = main(
        [
            "generate",
            str(photo),
            "-o",
            str(out),
            "--export",
            str(glb),
            str(ply),
            "--depth",
            str(tiny_dpt),
            "--inpaint",
            str(tiny_sd),
            "--seed",
            "5",
            "--n-views",
            "1",
            "--steps",
            "2",
            "--device",
            "cpu",
            "--quiet",
        ]
    )
    assert code == 0
    scene = worldnb.load(out)
    assert scene.meta["config"]["seed"] == 5 and scene.meta["config"]["n_views"] == 1
    assert set(scene.layers) == {"mesh", "gaussians", "points"}
    assert glb.stat().st_size > 0 and ply.stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--depth", "builtin:inpaint"], "another built-in"),
        (["--depth", "org/not-downloaded"], "no local copy"),
        (["--n-views", "99"], "--n-views"),
    ],
)
def test_errors_exit_2_and_write_nothing(tmp_path, photo, capsys, args, message):
    out = tmp_path / "scene.wnb"
    assert main(["generate", str(photo), "-o", str(out), "--quiet", *args]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_not_an_image_and_bad_output_names(tmp_path, capsys):
    txt = tmp_path / "notes.png"
    txt.write_text("not an image")
    out = tmp_path / "s.wnb"
    assert (
        main(["generate", str(txt), "-o", str(out), "--quiet", "--depth", "org/x"]) == 2
    )  # the depth error or the image error, never a file
    assert not out.exists()
    assert main(["generate", str(txt), "-o", str(tmp_path / "s.txt"), "--quiet"]) == 2
    assert ".wnb" in capsys.readouterr().err


def test_missing_cuda_is_one_line_not_a_traceback(tmp_path, photo, tiny_dpt, capsys):
    # was: the model loaded, then torch's AssertionError escaped as a traceback
    out = tmp_path / "scene.wnb"
    device = "cuda:99" if torch.cuda.is_available() else "cuda"
    args = ["generate", str(photo), "-o", str(out), "--quiet", "--depth", str(tiny_dpt)]
    assert main([*args, "--n-views", "0", "--device", device]) == 2
    err = capsys.readouterr().err
    assert "device" in err and "cuda" in err and "Traceback" not in err
    assert not out.exists()


def test_parser_has_subcommands():
    parser = build_parser()
    args = parser.parse_args(["generate", "x.png", "-o", "y.wnb", "--seed", "3"])
    assert args.command == "generate" and args.seed == 3 and args.depth is None
    assert main([]) == 2


def test_errors_name_flags_not_python_arguments(tmp_path, photo, tiny_dpt, capsys):
    out = tmp_path / "scene.wnb"
    args = ["generate", str(photo), "-o", str(out), "--quiet", "--depth", str(tiny_dpt),
            "--inpaint", "org/not-downloaded"]  # fmt: skip
    assert main(args) == 2  # the inpainting model is not cached
    err = capsys.readouterr().err
    assert "no local copy" in err
    assert "inpaint=" not in err and "n_views" not in err and "callable" not in err
    assert not out.exists()


def test_as_flags_leaves_plain_words_alone():
    assert as_flags("no depth given; pass depth=<id>") == "no depth given; pass --depth <id>"
    assert as_flags("guidance_scale: expected 0..30") == "--guidance-scale: expected 0..30"
    assert as_flags("config.n_views is 3") == "config.n_views is 3"


def test_help_names_models_to_try(capsys):
    for argv in (["--help"], ["generate", "--help"], ["studio", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        text = capsys.readouterr().out
        assert "--depth depth-anything/Depth-Anything-V2-Small-hf" in text
        assert "--inpaint stabilityai/stable-diffusion-2-inpainting" in text
        assert "the built-in models shipped with\nworldnb are used" in text
