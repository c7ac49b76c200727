"""Reference values computed with mpmath, shared by the numerical tests."""

import mpmath as mp


def mp_bgnbd_alive(r, a, b, x, u):
    """BG/NBD's E[purchases in t | alive] = int (1 - (1 + p u)^-(r+x)) / p  dBeta(p; a, b+x).

    The integrand carries the normalised density (mpmath's tolerance is not relative to a
    tiny unnormalised integral), and the quadrature is cut where ``p u`` is near 1 and around
    the beta's mode, so that a sharply peaked posterior (large ``a`` and ``b + x``) is not
    stepped over.
    """
    with mp.workdps(30):
        r, a, b, x, u = map(mp.mpf, (r, a, b, x, u))
        log_beta = mp.log(mp.beta(a, b + x))

        def f(p):
            if p <= 0 or p >= 1:
                return mp.mpf(0)
            density = mp.exp((a - 1) * mp.log(p) + (b + x - 1) * mp.log1p(-p) - log_beta)
            return -mp.expm1(-(r + x) * mp.log1p(p * u)) / p * density

        cuts = [1 / u / 10, 1 / u, 10 / u]
        if a > 1 and b + x > 1:
            mode = (a - 1) / (a + b + x - 2)
            spread = mp.sqrt(a * (b + x) / (a + b + x) ** 2 / (a + b + x + 1))
            cuts += [mode + k * spread for k in (-8, -4, -2, -1, 0, 1, 2, 4, 8)]
        points = [mp.mpf(0)] + sorted({p for p in cuts if 0 < p < 1}) + [mp.mpf(1)]
        return mp.re(mp.quad(f, points))
