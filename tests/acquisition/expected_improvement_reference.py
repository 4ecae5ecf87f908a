"""Reference values of lognormalExpectedImprovementOf for expected_improvement_test.ts.

EI = E[max(e^{f*} − e^Y, 0)], Y ~ N(μ, σ²), = e^{f*}Φ(v) − e^{μ+σ²/2}Φ(v − σ), v = (f* − μ)/σ, with
∂/∂μ = −e^{μ+σ²/2}Φ(v − σ) and ∂/∂σ = e^{f*}φ(v) − σe^{μ+σ²/2}Φ(v − σ) (Hutter, Hoos & Leyton-Brown
2011, section 4.3), evaluated by mpmath at 60 digits at the exact float64 inputs; the derivatives
are checked against central differences of the 60-digit EI.

usage: python3 tests/acquisition/expected_improvement_reference.py  (prints the TypeScript rows)
"""
import mpmath as mp

mp.mp.dps = 60

# (σ, v, f*): μ = f* − vσ in float64
POINTS = [
    (1e-14, -10.0, -1.0),
    (1e-13, -37.0, 50.0),
    (1e-12, 0.0, 0.0),
    (1e-12, 1.0, 50.0),
    (1e-11, -30.0, 10.0),
    (1e-10, -37.6, 50.0),
    (1e-9, 2.0, -50.0),
    (1e-8, -1.0, 1.0),
    (1e-6, 20.0, -10.0),
    (1e-6, -5.0, 0.0),
    (1e-4, 40.0, 1.0),
    (1e-3, -38.0, 50.0),
    (1e-2, -38.0, 50.0),
    (0.05, 1.0, -1.0),
    (0.099, 0.5, 0.0),
    (0.2, -3.0, 2.0),
]


def terms(m, s, t):
    v = (t - m) / s
    tail = mp.exp(m + s * s / 2) * mp.ncdf(v - s)
    return mp.exp(t) * mp.ncdf(v) - tail, -tail, mp.exp(t) * mp.npdf(v) - s * tail


for s, v, t in POINTS:
    m = t - v * s
    M, S, T = mp.mpf(m), mp.mpf(s), mp.mpf(t)
    ei, d_mean, d_sd = terms(M, S, T)
    h = mp.mpf(10) ** -20 * min(S, 1)
    fd_mean = (terms(M + h, S, T)[0] - terms(M - h, S, T)[0]) / (2 * h)
    fd_sd = (terms(M, S + h, T)[0] - terms(M, S - h, T)[0]) / (2 * h)
    assert abs(fd_mean - d_mean) <= 1e-25 * abs(d_mean) and abs(fd_sd - d_sd) <= 1e-25 * abs(d_sd)
    cells = [repr(m), repr(s), repr(t)] + [mp.nstr(x, 17, min_fixed=-4, max_fixed=5) for x in (ei, d_mean, d_sd)]
    print(f"  [{', '.join(cells)}],")
