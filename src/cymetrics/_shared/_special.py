"""The few special functions the intervals need, without scipy.

* `ndtri`: the standard normal quantile, Wichura's algorithm AS 241 (PPND16),
  accurate to about 1e-16 relative.
* `ndtr`: the standard normal CDF, from ``math.erfc``.
* `betainc` / `betaincinv`: the regularized incomplete beta function
  ``I_x(a, b)`` by its continued fraction (modified Lentz), and its inverse
  by safeguarded Halley steps. The log of the prefactor
  ``x^a (1 - x)^b / B(a, b)`` is formed as in TOMS 708 (``brcomp``): with
  Stirling's series once ``a`` or ``b`` is large, so that counts in the
  millions do not lose digits to ``lgamma(a) + lgamma(b) - lgamma(a + b)``.

Vectorized over numpy arrays (broadcast); tested against ``scipy.special``
in the tests only.
"""

import math

import numpy as np

__all__ = ["betainc", "betaincinv", "ndtr", "ndtri"]

_SQRT2 = math.sqrt(2.0)
_HALF_LOG_2PI = 0.5 * math.log(2.0 * math.pi)


# ---------------------------------------------------------------------------
# Normal distribution
# ---------------------------------------------------------------------------
def _poly(coefficients, r):
    """Horner's scheme, highest power first."""
    acc = 0.0
    for c in coefficients:
        acc = acc * r + c
    return acc


# AS 241 (Wichura 1988, Applied Statistics 37:477-484), PPND16.
_A = (2509.0809287301226727, 33430.575583588128105, 67265.770927008700853,
      45921.953931549871457, 13731.693765509461125, 1971.5909503065514427,
      133.14166789178437745, 3.387132872796366608)
_B = (5226.495278852545925, 28729.085735721942674, 39307.89580009271061,
      21213.794301586595867, 5394.1960214247511077, 687.1870074920579083,
      42.313330701600911252, 1.0)
_C = (7.7454501427834140764e-4, 0.0227238449892691845833, 0.24178072517745061177,
      1.27045825245236838258, 3.64784832476320460504, 5.7694972214606914055,
      4.6303378461565452959, 1.42343711074968357734)
_D = (1.05075007164441684324e-9, 5.475938084995344946e-4, 0.0151986665636164571966,
      0.14810397642748007459, 0.68976733498510000455, 1.6763848301838038494,
      2.05319162663775882187, 1.0)
_E = (2.01033439929228813265e-7, 2.71155556874348757815e-5, 0.0012426609473880784386,
      0.026532189526576123093, 0.29656057182850489123, 1.7848265399172913358,
      5.4637849111641143699, 6.6579046435011037772)
_F = (2.04426310338993978564e-15, 1.4215117583164458887e-7, 1.8463183175100546818e-5,
      7.868691311456132591e-4, 0.0148753612908506148525, 0.13692988092273580531,
      0.59983220655588793769, 1.0)


def ndtri(p):
    """Standard normal quantile of a probability ``p`` in [0, 1] (a float)."""
    p = float(p)
    if not 0.0 <= p <= 1.0:
        return math.nan
    if p == 0.0:
        return -math.inf
    if p == 1.0:
        return math.inf
    q = p - 0.5
    if abs(q) <= 0.425:
        r = 0.180625 - q * q
        return q * _poly(_A, r) / _poly(_B, r)
    r = math.sqrt(-math.log(p if q < 0 else 1.0 - p))
    if r <= 5.0:
        r -= 1.6
        value = _poly(_C, r) / _poly(_D, r)
    else:
        r -= 5.0
        value = _poly(_E, r) / _poly(_F, r)
    return -value if q < 0 else value


def ndtr(x):
    """Standard normal CDF of a float."""
    return 0.5 * math.erfc(-float(x) / _SQRT2)


def normal_two_sided_pvalue(z):
    """``P(|Z| >= |z|)`` for a standard normal Z (exact in the far tail)."""
    return math.erfc(abs(float(z)) / _SQRT2)


# ---------------------------------------------------------------------------
# Incomplete beta
# ---------------------------------------------------------------------------
# Beyond this, lgamma is replaced by Stirling's series (7 terms: error below
# 4e-18 at 15).
_STIRLING_FROM = 15.0
_STIRLING = (1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188,
             -691.0 / 360360, 1.0 / 156)


def _stirling_delta(z):
    """``lgamma(z) - ((z - 1/2) log z - z + log(2 pi) / 2)`` for z >= 15."""
    z = np.asarray(z, dtype=np.float64)
    inv2 = 1.0 / (z * z)
    acc = np.zeros_like(z)
    for c in reversed(_STIRLING):
        acc = acc * inv2 + c
    return acc / z


def _lgamma(z):
    return np.vectorize(math.lgamma, otypes=[np.float64])(z)


def _log_prefactor(a, b, x, y):
    """``log(x^a y^b / B(a, b))`` with ``y = 1 - x`` given accurately.

    Arrays of one shape, ``0 < x < 1``. Of ``x`` and ``y`` the smaller one
    carries the digits (the other is 1 minus it, rounded), so every log and
    difference is formed from it. The large-parameter forms keep the
    O(a + b) terms out of the sum: see the module docstring.
    """
    x_small = x < 0.5
    with np.errstate(divide="ignore"):
        log_x = np.where(x_small, np.log(x), np.log1p(-y))
        log_y = np.where(x_small, np.log1p(-x), np.log(y))
    out = np.empty_like(x)
    big_a = a >= _STIRLING_FROM
    big_b = b >= _STIRLING_FROM
    both = big_a & big_b
    if both.any():
        aa, bb = a[both], b[both]
        s = aa + bb
        p, q = aa / s, bb / s
        # x - p, from whichever of x and y is exact.
        d = np.where(x_small[both], x[both] - p, q - y[both])
        out[both] = (
            aa * np.log1p(d / p) + bb * np.log1p(-d / q)
            + 0.5 * np.log(aa * bb / s) - _HALF_LOG_2PI
            - _stirling_delta(aa) - _stirling_delta(bb) + _stirling_delta(s)
        )
    for small, big, log_small, log_big, mask in (
        (a, b, log_x, log_y, ~big_a & big_b),
        (b, a, log_y, log_x, big_a & ~big_b),
    ):
        if mask.any():
            sm, bg = small[mask], big[mask]
            s = sm + bg
            # lgamma(big) - lgamma(s) written without the O(big) terms.
            out[mask] = (
                sm * (log_small[mask] + np.log(s)) + bg * log_big[mask]
                + (bg - 0.5) * np.log1p(sm / bg)
                - sm - _lgamma(sm) - _stirling_delta(bg) + _stirling_delta(s)
            )
    neither = ~big_a & ~big_b
    if neither.any():
        aa, bb = a[neither], b[neither]
        out[neither] = (
            aa * log_x[neither] + bb * log_y[neither]
            - _lgamma(aa) - _lgamma(bb) + _lgamma(aa + bb)
        )
    return out


_TINY = 1e-300
_EPS = 1e-16
_MAX_TERMS = 100_000


def _beta_continued_fraction(a, b, x, y):
    """The continued fraction of ``I_x(a, b)`` (Numerical Recipes ``betacf``,
    modified Lentz), vectorized; converges fast for ``x < (a + 1) / (a + b + 2)``.
    ``y = 1 - x`` (the exact one of the two when x is near 1)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    # 1 - (a + b) x / (a + 1), without the cancellation when x ~ 1 and a is
    # large: (1 - b + (a + b) y) / (a + 1).
    d = np.where(x < 0.5, 1.0 - qab * x / qap, (1.0 - b + qab * y) / qap)
    d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d.copy()
    active = np.ones(x.shape, dtype=bool)
    for m in range(1, _MAX_TERMS):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        aa_, bb_, xx, cc, dd = a[idx], b[idx], x[idx], c[idx], d[idx]
        m2 = 2.0 * m
        num = m * (bb_ - m) * xx / ((qam[idx] + m2) * (aa_ + m2))
        dd = 1.0 + num * dd
        dd = 1.0 / np.where(np.abs(dd) < _TINY, _TINY, dd)
        cc = 1.0 + num / cc
        cc = np.where(np.abs(cc) < _TINY, _TINY, cc)
        step = dd * cc
        num = -(aa_ + m) * (qab[idx] + m) * xx / ((aa_ + m2) * (qap[idx] + m2))
        dd = 1.0 + num * dd
        dd = 1.0 / np.where(np.abs(dd) < _TINY, _TINY, dd)
        cc = 1.0 + num / cc
        cc = np.where(np.abs(cc) < _TINY, _TINY, cc)
        delta = dd * cc
        h[idx] *= step * delta
        c[idx], d[idx] = cc, dd
        active[idx[np.abs(delta - 1.0) <= _EPS]] = False
    return h


def _betainc_pair(a, b, x, y):
    """``(I_x(a, b), 1 - I_x(a, b))``, each accurate in relative terms."""
    lower = np.zeros_like(x)
    upper = np.zeros_like(x)
    inside = (x > 0) & (y > 0)
    upper[x <= 0] = 1.0
    lower[y <= 0] = 1.0
    if not inside.any():
        return lower, upper
    a, b, x, y = a[inside], b[inside], x[inside], y[inside]
    front = np.exp(_log_prefactor(a, b, x, y))
    direct = x < (a + 1.0) / (a + b + 2.0)
    value = np.empty_like(x)
    # The continued fraction converges fast on one side of the mean; the
    # other side uses I_x(a, b) = 1 - I_{1-x}(b, a).
    if direct.any():
        value[direct] = front[direct] * _beta_continued_fraction(
            a[direct], b[direct], x[direct], y[direct]) / a[direct]
    flip = ~direct
    if flip.any():
        value[flip] = front[flip] * _beta_continued_fraction(
            b[flip], a[flip], y[flip], x[flip]) / b[flip]
    lo = np.where(direct, value, 1.0 - value)
    hi = np.where(direct, 1.0 - value, value)
    lower[inside] = lo
    upper[inside] = hi
    return lower, upper


def _broadcast_float(*args):
    return [np.array(v, dtype=np.float64) for v in np.broadcast_arrays(*args)]


def betainc(a, b, x):
    """Regularized incomplete beta function ``I_x(a, b)``, ``a, b > 0``."""
    a, b, x = _broadcast_float(a, b, x)
    shape = x.shape
    a, b, x = a.ravel(), b.ravel(), np.clip(x.ravel(), 0.0, 1.0)
    return _betainc_pair(a, b, x, 1.0 - x)[0].reshape(shape)


def betaincinv(a, b, p):
    """Inverse of `betainc` in ``x``: the ``p`` quantile of Beta(a, b).

    Halley steps from the starting point of Numerical Recipes (``invbetai``),
    kept inside a bracket that shrinks on every step (bisection when a step
    leaves it). For ``p > 1/2`` the mirror problem ``1 - x`` is solved, so
    either tail keeps its relative accuracy.
    """
    a, b, p = _broadcast_float(a, b, p)
    shape = p.shape
    a, b, p = a.ravel(), b.ravel(), p.ravel()
    out = np.full(p.shape, np.nan)
    out[p == 0] = 0.0
    out[p == 1] = 1.0
    solve = (p > 0) & (p < 1) & (a > 0) & (b > 0)
    low_tail = solve & (p <= 0.5)
    high_tail = solve & (p > 0.5)
    if low_tail.any():
        out[low_tail] = _solve_low_tail(a[low_tail], b[low_tail], p[low_tail])[0]
    if high_tail.any():
        # x = 1 - y where y solves I_y(b, a) = 1 - p.
        out[high_tail] = _solve_low_tail(b[high_tail], a[high_tail], 1.0 - p[high_tail])[1]
    return out.reshape(shape)


def _initial_guess(a, b, p):
    """Numerical Recipes' start for the Beta quantile (``p <= 1/2``)."""
    x0 = np.empty_like(p)
    large = (a >= 1) & (b >= 1)
    if large.any():
        aa, bb, pp = a[large], b[large], p[large]
        t = np.sqrt(-2.0 * np.log(pp))
        z = -((2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t)
        al = (z * z - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * aa - 1.0) + 1.0 / (2.0 * bb - 1.0))
        w = z * np.sqrt(al + h) / h - (1.0 / (2.0 * bb - 1.0) - 1.0 / (2.0 * aa - 1.0)) * (
            al + 5.0 / 6.0 - 2.0 / (3.0 * h))
        x0[large] = aa / (aa + bb * np.exp(2.0 * w))
    small = ~large
    if small.any():
        aa, bb, pp = a[small], b[small], p[small]
        s = aa + bb
        t = np.exp(aa * np.log(aa / s)) / aa
        u = np.exp(bb * np.log(bb / s)) / bb
        w = t + u
        x0[small] = np.where(pp < t / w, (aa * w * pp) ** (1.0 / aa),
                             1.0 - (bb * w * (1.0 - pp)) ** (1.0 / bb))
    return np.clip(np.nan_to_num(x0, nan=0.5), 1e-300, 1.0 - 1e-16)


_MAX_HALLEY = 200


def _solve_low_tail(a, b, p):
    """``(x, 1 - x)`` with ``I_x(a, b) = p``, for ``0 < p <= 1/2``."""
    x = _initial_guess(a, b, p)
    y = 1.0 - x
    lo = np.zeros_like(x)
    hi = np.ones_like(x)
    active = np.ones(x.shape, dtype=bool)
    for _ in range(_MAX_HALLEY):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        aa, bb, pp, xx, yy = a[idx], b[idx], p[idx], x[idx], y[idx]
        value, _ = _betainc_pair(aa, bb, xx, yy)
        err = value - pp
        below = err < 0
        lo[idx] = np.where(below, xx, lo[idx])
        hi[idx] = np.where(below, hi[idx], xx)
        # Beta density times x (1 - x): the prefactor.
        log_front = _log_prefactor(aa, bb, np.maximum(xx, 1e-300), np.maximum(yy, 1e-300))
        density = np.exp(log_front) / (xx * yy)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            u = err / density
            curvature = (aa - 1.0) / xx - (bb - 1.0) / yy
            step = u / (1.0 - 0.5 * np.minimum(1.0, u * curvature))
            new = xx - step
        converged = (err == 0) | (np.abs(step) <= 4 * _EPS * xx)
        bad = ~converged & (~np.isfinite(new) | (new <= lo[idx]) | (new >= hi[idx]))
        new = np.where(converged, np.where(np.isfinite(new), new, xx), new)
        new = np.where(bad, 0.5 * (lo[idx] + hi[idx]), new)
        # 1 - x from the step when x moved little, keeping its digits.
        new_y = np.where(bad, 1.0 - new, yy + (xx - new))
        done = converged | (hi[idx] - lo[idx] <= 4 * _EPS * np.abs(new))
        x[idx] = new
        y[idx] = new_y
        active[idx[done]] = False
    return x, y
