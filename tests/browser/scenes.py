"""Small test scenes, as code that runs both in the test process and in the kernel."""

#: Builds `scene`: a red mesh box (object 1) on the left, a green one (object 2) on the
#: right, a grid of blue points in the middle, well apart on screen from the default view.
RED_BOX_BLUE_POINTS = r"""
import numpy as np
import worldnb as wn

def box_mesh(center, size, rgb, object_id):
    b = wn.OrientedBox(center, size)
    c = b.corners()
    quads = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    faces = [f for a, b_, c_, d in quads for f in ((a, b_, c_), (a, c_, d))]
    return b, wn.Mesh(c, faces, vertex_colors=np.tile(rgb, (8, 1)), instance=[object_id] * 12)

scene = wn.Scene()
red_box, red = box_mesh((-1.2, 0.4, 0.0), (0.6, 0.8, 0.6), (1.0, 0.0, 0.0), 1)
green_box, green = box_mesh((1.2, 0.3, 0.0), (0.6, 0.6, 0.6), (0.0, 0.8, 0.0), 2)
scene.add_object("red box", red_box, geometry="objects")
scene.add_object("green box", green_box, geometry="objects")
scene.layers["objects"] = wn.Mesh(
    np.concatenate([red.vertices, green.vertices]),
    np.concatenate([red.faces, green.faces + 8]),
    vertex_colors=np.concatenate([red.vertex_colors, green.vertex_colors]),
    instance=np.concatenate([red.instance, green.instance]),
)
gx, gy = np.meshgrid(np.linspace(-0.3, 0.3, 7), np.linspace(0.1, 0.9, 9))
xyz = np.stack([gx.ravel(), gy.ravel(), np.zeros(gx.size)], -1).astype(np.float32)
scene.layers["points"] = wn.PointCloud(xyz, np.tile([0.0, 0.0, 1.0], (len(xyz), 1)))
"""
