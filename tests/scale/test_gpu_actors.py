"""generate_many on GPU workers: what each actor asks Ray for, and what it runs on.

This machine has no GPU: the shared local cluster declares one *logical* GPU
(``ray_session(num_gpus=1)``), so Ray schedules and assigns it as it would a real one
(the actor is given GPU id 0 and ``CUDA_VISIBLE_DEVICES``), while torch finds no CUDA.
That tests the request and the fallback; running the models on a real GPU needs a
CUDA machine (not checked here)."""

from __future__ import annotations

import sys
import warnings

import numpy as np
import pytest
import torch

from worldnb.batch import _actor_plan, generate_many
from worldnb.errors import BackendError, InputError

from .test_batch import CFG, write_images


def flat(rgb):
    return np.full(rgb.shape[:2], 2.0, np.float32)


@pytest.mark.parametrize(
    ("resources", "device", "num_workers", "items", "expected"),
    [
        ({"CPU": 2.0}, "auto", None, 5, (2, {"num_cpus": 1.0})),  # no GPUs: one per CPU
        ({"CPU": 2.0}, "auto", None, 1, (1, {"num_cpus": 1.0})),  # never more than items
        ({"CPU": 2.0}, "auto", 4, 9, (4, {"num_cpus": 0.5})),  # 4 share 2 CPUs
        ({"CPU": 16.0, "GPU": 4.0}, "auto", None, 9, (4, {"num_cpus": 1.0, "num_gpus": 1.0})),
        ({"CPU": 16.0, "GPU": 2.0}, "auto", 4, 9, (4, {"num_cpus": 1.0, "num_gpus": 0.5})),
        ({"CPU": 16.0, "GPU": 2.0}, "cuda", None, 9, (2, {"num_cpus": 1.0, "num_gpus": 1.0})),
        ({"CPU": 16.0, "GPU": 2.0}, "cpu", None, 9, (9, {"num_cpus": 1.0})),  # asks for none
    ],
)
def test_actors_ask_for_gpus_where_the_cluster_has_them(
    resources, device, num_workers, items, expected
):
    assert _actor_plan(resources, device, num_workers, items) == expected


def test_cuda_on_a_cluster_without_gpus_is_an_input_error():
    with pytest.raises(InputError, match="device='cuda': the Ray cluster has no GPUs"):
        _actor_plan({"CPU": 8.0}, "cuda", None, 3)


@pytest.fixture
def gpu_cluster(ray_cluster):
    """The shared cluster, with this module's ``flat`` depth sent to workers by value."""
    import ray.cloudpickle

    assert ray_cluster.cluster_resources().get("GPU") == 1.0  # the logical GPU
    assert not torch.cuda.is_available(), "this test is about a machine without CUDA"
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    yield ray_cluster
    ray.cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def test_an_actor_given_the_gpu_runs_on_the_cpu_when_cuda_is_missing(gpu_cluster, tmp_path):
    images = write_images(tmp_path / "in", 2)
    with pytest.warns(RuntimeWarning, match="GPU 0, but torch finds no usable CUDA"):
        res = generate_many(images, tmp_path / "auto", CFG, depth=flat,
                            executor="ray", num_workers=2, progress=False)  # fmt: skip
    assert res.counts == {"ok": 2, "failed": 0}
    # both actors asked for half of the one GPU and were given it; torch fell back
    assert [(it.gpu_ids, it.device) for it in res.items] == [(["0"], "cpu")] * 2
    local = generate_many(images, tmp_path / "local", CFG, depth=flat, progress=False)
    assert [(it.gpu_ids, it.device) for it in local.items] == [(None, "cpu")] * 2


def test_device_cpu_asks_for_no_gpu(gpu_cluster, tmp_path):
    images = write_images(tmp_path / "in", 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        res = generate_many(images, tmp_path / "cpu", CFG, depth=flat, device="cpu",
                            executor="ray", progress=False)  # fmt: skip
    assert [(it.status, it.gpu_ids, it.device) for it in res.items] == [("ok", [], "cpu")]


def test_device_cuda_without_usable_cuda_fails_before_any_item(gpu_cluster, tmp_path):
    images = [np.full((16, 16, 3), 0.5, np.float32)]
    msg = r"could not load the models: InputError.*no usable CUDA"
    with pytest.raises(BackendError, match=msg):
        generate_many(images, tmp_path / "cuda", CFG, depth=flat, device="cuda",
                      executor="ray", progress=False)  # fmt: skip
    assert not (tmp_path / "cuda" / "manifest.jsonl").read_text()  # no item ran
