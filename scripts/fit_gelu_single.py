"""Fit the polynomial of the float32 kernels' Phi (actlab.kernels.formulas._PHI_TAIL).

erfc(|x|/sqrt 2) = e^(-x^2/2) u P(u) with u = 1/(1 + |x|/4): P is smooth on
u in (0, 1] (to 1/(2 sqrt(2 pi)) as u -> 0), so one polynomial serves every x;
fitted by relative least squares at Chebyshev nodes for |x| <= 15.6 (beyond,
x Phi(x) underflows in float32 for x < 0 and Phi rounds to 1 for x > 0), and
checked against mpmath. Prints the coefficients (lowest degree first) and the
maximum relative error. Run: python scripts/fit_gelu_single.py
"""

import mpmath as mp
import numpy as np

mp.mp.dps = 40
Q, XMAX, DEGREE = 0.25, 15.6, 12


def target(u):
    x = (1 / mp.mpf(u) - 1) / Q
    return mp.erfc(x / mp.sqrt(2)) * mp.exp(x * x / 2) / u


def main():
    u0 = 1 / (1 + Q * XMAX)
    nodes = np.cos(np.pi * (np.arange(600) + 0.5) / 600)
    u = u0 + (1 - u0) * (nodes + 1) / 2
    y = np.array([float(target(v)) for v in u])
    coef, *_ = np.linalg.lstsq(np.vander(u, DEGREE + 1, increasing=True) / y[:, None], np.ones_like(y),
                               rcond=None)
    x = np.linspace(0, XMAX, 5000)
    uu = 1 / (1 + Q * x)
    est = np.exp(-x * x / 2) * uu * np.polynomial.polynomial.polyval(uu, coef)
    exact = np.array([float(mp.erfc(mp.mpf(v) / mp.sqrt(2))) for v in x])
    print("coefficients:", ", ".join(repr(float(c)) for c in coef))
    print(f"max relative error of erfc(|x|/sqrt 2), |x| <= {XMAX}: {np.max(np.abs(est / exact - 1)):.2e}")


if __name__ == "__main__":
    main()
