"""worldnb.testing holds the test stand-ins; the library itself never imports them."""

import subprocess
import sys


def test_library_does_not_import_the_test_stand_ins():
    code = (
        "import sys, worldnb, worldnb.generation, worldnb.widgets, worldnb.cli\n"
        "print('worldnb.testing' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_stand_ins_left_the_generation_namespace():
    import worldnb.generation
    import worldnb.testing

    for name in worldnb.testing.__all__:
        assert not hasattr(worldnb.generation, name), name
