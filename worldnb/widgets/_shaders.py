"""GLSL for drawing 3D Gaussians as oriented, shaded sprites (three.js ShaderMaterial).

Each Gaussian is a quad of 4 vertices that share its centre. The vertex shader projects
the 3D covariance to a 2D screen covariance (the EWA splatting Jacobian, with the
0.3 px² low-pass of 3D Gaussian Splatting), takes its eigenvectors, and stretches the quad to
±3 σ along them; the fragment shader fades the colour with ``exp(-r²/2)`` times the
opacity. Blending is ordinary "over" alpha blending with depth writes off; the quads are
sorted back to front in Python (:func:`~worldnb.widgets._buffers.quad_order`).
GLSL ES 1.0 (no ``transpose``, no matrix-from-matrix constructors): three.js r97 compiles it.
"""

GAUSSIAN_VERTEX = """
attribute vec2 corner;
attribute vec3 cov_a;
attribute vec3 cov_b;
attribute vec4 rgba;
uniform vec2 viewport;
varying vec4 vColor;
varying vec2 vPos;

void main() {
    vec4 cam = modelViewMatrix * vec4(position, 1.0);
    float tz = -cam.z;
    vColor = rgba;
    vPos = corner * 3.0;
    if (tz < 1e-3) { gl_Position = vec4(0.0, 0.0, 2.0, 1.0); return; }
    float fx = projectionMatrix[0][0] * viewport.x * 0.5;
    float fy = projectionMatrix[1][1] * viewport.y * 0.5;
    mat3 V = mat3(cov_a.x, cov_a.y, cov_a.z,
                  cov_a.y, cov_b.x, cov_b.y,
                  cov_a.z, cov_b.y, cov_b.z);
    mat3 W = mat3(modelViewMatrix[0].xyz, modelViewMatrix[1].xyz, modelViewMatrix[2].xyz);
    mat3 J = mat3(fx / tz, 0.0, 0.0,
                  0.0, fy / tz, 0.0,
                  fx * cam.x / (tz * tz), fy * cam.y / (tz * tz), 0.0);
    mat3 T = J * W;
    mat3 Tt = mat3(T[0][0], T[1][0], T[2][0], T[0][1], T[1][1], T[2][1], T[0][2], T[1][2], T[2][2]);
    mat3 C = T * V * Tt;
    float a = C[0][0] + 0.3;
    float b = C[0][1];
    float c = C[1][1] + 0.3;
    float mid = 0.5 * (a + c);
    float rad = sqrt(max(0.25 * (a - c) * (a - c) + b * b, 0.0));
    float l1 = mid + rad;
    float l2 = max(mid - rad, 0.1);
    vec2 v1 = a >= c ? vec2(1.0, 0.0) : vec2(0.0, 1.0);
    if (abs(b) > 1e-9) v1 = normalize(vec2(b, l1 - a));
    vec2 v2 = vec2(-v1.y, v1.x);
    vec2 offset_px = 3.0 * (corner.x * sqrt(l1) * v1 + corner.y * sqrt(l2) * v2);
    vec4 clip = projectionMatrix * cam;
    clip.xy += offset_px * 2.0 / viewport * clip.w;
    gl_Position = clip;
}
"""

GAUSSIAN_FRAGMENT = """
varying vec4 vColor;
varying vec2 vPos;

void main() {
    float alpha = vColor.a * exp(-0.5 * dot(vPos, vPos));
    if (alpha < 1.0 / 255.0) discard;
    gl_FragColor = vec4(vColor.rgb, alpha);
}
"""
