"""The noncentral-t interval of a standardized mean difference, found wherever the observed t is finite (pure)."""
import math

from scipy import integrate, optimize, special

# Boost's CDF (scipy's) drifts as t grows: 4e-14 off at t = 100, 6e-12 at 1,000, 6e-10 at 2,000; the quadrature
# below stays within 1e-14 of a 20-digit integration but costs about 0.7 ms a call, so it takes over only past this t.
QUADRATURE_FROM_T = 1000.0
MAX_STEPS = 200  # doublings of the search step: far more than any finite t and confidence need
Z_LIMIT = 12.0  # beyond ±12 the standard normal holds less than 1e-32: nothing a tail probability notices
TAIL = 1e-30  # likewise for S = √(χ²/df) beyond the quantile that leaves this much above it


def noncentral_interval(t, df, confidence):
    """Noncentrality parameters that put the observed t at the upper and the lower tail (Steiger & Fouladi 1997);
    None for a limit that cannot be found, which happens only for a t near the largest float (1e308)."""
    tail = (1 - confidence) / 2
    return solve_noncentrality(t, df, 1 - tail), solve_noncentrality(t, df, tail)


def solve_noncentrality(t, df, probability):
    """The ncp with P(T ≤ t | df, ncp) = probability."""
    if not math.isfinite(t):
        return None
    if t < 0:  # P(T ≤ t | ncp) = 1 − P(T ≤ −t | −ncp): solve for a t ≥ 0, on the side the fallback covers
        root = _solve(-t, df, 1 - probability)
        return None if root is None else -root
    return _solve(t, df, probability)


def _solve(t, df, probability):
    """Walk out from ncp = t in doubling steps until the gap changes sign, then close in with Brent's method.
    The CDF falls as the ncp grows, so the first sign change brackets the only root."""
    def gap(ncp):
        return noncentral_t_cdf(t, df, ncp) - probability

    step = math.hypot(1, t / math.sqrt(2 * df))  # about one standard error of the ncp: √(1 + t²/2df), no overflow
    near, gap_near = t, gap(t)
    direction = 1 if gap_near > 0 else -1
    for _ in range(MAX_STEPS):
        if gap_near == 0:
            return near
        far = near + direction * step
        if not math.isfinite(far):
            return None
        gap_far = gap(far)
        if (gap_far > 0) != (gap_near > 0) or gap_far == 0:
            low, high = sorted((near, far))
            try:
                return optimize.brentq(gap, low, high, xtol=1e-12, rtol=1e-12, maxiter=500)
            except (ValueError, RuntimeError):  # a NaN or no convergence: say "not found" rather than fail
                return None
        near, gap_near, step = far, gap_far, 2 * step
    return None


def noncentral_t_cdf(t, df, ncp):
    """P(T ≤ t) for a noncentral t, t ≥ 0: scipy's (Boost's) value, or a quadrature for a large t and where scipy's
    is NaN (patches of small df with t and ncp of opposite signs, and everywhere once t and ncp pass about 10⁵)."""
    if t > QUADRATURE_FROM_T:
        return _cdf_by_quadrature(t, df, ncp)
    value = float(special.nctdtr(df, ncp, t))
    return value if math.isfinite(value) else _cdf_by_quadrature(t, df, ncp)


def _cdf_by_quadrature(t, df, ncp):
    """P(Z + ncp ≤ t·S) with S = √(χ²_df / df): Φ(−ncp) for the Z below −ncp (where t·S ≥ 0 always wins), plus
    ∫ φ(z) P(S ≥ (z + ncp) / t) dz above it, where P(S ≥ s) = Q(df/2, df·s²/2). Smooth where scipy gives up."""
    below = float(special.ndtr(-ncp))
    half = df / 2
    # Past S's 1e-30 upper quantile the integrand is nil: the interval ends at z = t·s − ncp for that s.
    top = t * math.sqrt(special.gammainccinv(half, TAIL) / half) - ncp
    low, high = max(-ncp, -Z_LIMIT), min(top, Z_LIMIT)
    if t == 0 or low >= high:
        return below

    def integrand(z):
        s = (z + ncp) / t
        return math.exp(-z * z / 2) / math.sqrt(2 * math.pi) * special.gammaincc(half, half * s * s)

    # The integrand turns fastest where S is most likely, near its median: quad starts with a break there.
    turn = t * math.sqrt(special.gammainccinv(half, 0.5) / half) - ncp
    above, _error = integrate.quad(integrand, low, high, points=[turn] if low < turn < high else None,
                                   epsabs=1e-15, epsrel=1e-13, limit=200)
    return min(1.0, below + above)
