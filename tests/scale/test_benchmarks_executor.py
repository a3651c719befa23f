"""benchmarks/_executor.py, the ``--executor ray`` shared by the benchmarks: a function
of a benchmark module (which Ray workers cannot import by name) runs on the workers and
the results come back in item order, the same as the local executor's."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import _executor
import spatial_qa

from worldnb.errors import InputError


def parse(*argv: str) -> argparse.Namespace:
    ap = argparse.ArgumentParser()
    _executor.add_arguments(ap)
    return ap.parse_args(list(argv))


def test_options_and_what_the_json_records():
    assert _executor.describe(parse()) == {"executor": "local"}
    args = parse("--executor", "ray", "--num-workers", "2", "--address", "auto")
    assert _executor.describe(args) == {"executor": "ray", "num_workers": 2, "address": "auto"}
    with pytest.raises(SystemExit):  # argparse refuses an unknown executor
        parse("--executor", "dask")
    bad = parse("--num-workers", "0")
    with pytest.raises(InputError, match="num_workers"), _executor.session(bad):
        pass


def test_a_benchmark_function_on_ray_gives_the_local_results_in_order(ray_cluster):
    items = [(seed, 6) for seed in (5, 1, 4, 2, 3)]
    local = _executor.map_ordered(spatial_qa.random_room, items, parse())
    args = parse("--executor", "ray", "--num-workers", "2")
    with _executor.session(args):  # the shared cluster: used as it is
        on_ray = _executor.map_ordered(spatial_qa.random_room, items, args)
    assert on_ray == local  # Scene equality: room, objects, boxes
    assert [len(s.objects) for s in local] == [6] * 5
    assert len({round(s.room.polygon.area, 6) for s in local}) == 5  # five rooms, in order
