"""Provenance: scene.meta["backends"] calls a model built-in only when it is."""

import numpy as np

import worldnb
from worldnb import models
from worldnb.models.nets import DenseNet, DenseNetConfig

TINY = DenseNetConfig(size=32, widths=(8, 8), full_width=4, heads={"depth": 2, "fov": 1})


def test_only_the_shipped_weights_are_named_builtin(tmp_path):
    assert models.load("depth").name == "builtin:depth"
    assert models.load("segment").name == "builtin:segment"
    net = DenseNet(TINY)
    mine = models.BuiltinDepth.from_net(net)
    assert mine.name == "custom:depth"
    folder = mine.save_pretrained(tmp_path / "my-depth")
    assert models.load(str(folder)).name == str(folder)
    # a copy of the shipped weights elsewhere is not the shipped model either
    shipped = models.load("depth").save_pretrained(tmp_path / "copy")
    assert models.load(str(shipped)).name == str(shipped)


def test_generate_records_your_model_not_the_builtin():
    net = DenseNet(TINY)
    rgb = np.random.default_rng(0).random((32, 48, 3)).astype(np.float32)
    scene = worldnb.generate(
        rgb, worldnb.GenerationConfig(n_views=0, refine_iters=0),
        depth=models.BuiltinDepth.from_net(net), segment=None, progress=False,
    )  # fmt: skip
    assert scene.meta["backends"]["depth"] == "custom:depth"
