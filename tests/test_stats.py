"""Student's t quantiles, checked against published values (R's qt, to 12 digits)."""

from __future__ import annotations

import math

import pytest

from journeymap.model.stats import EXPANSION_DF, Z95, incomplete_beta, t95, t_cdf, t_quantile

#: qt(p, df) in R.
KNOWN = [
    (0.975, 1, 12.7062047361747),
    (0.975, 2, 4.30265272974946),
    (0.975, 3, 3.18244630528371),
    (0.975, 4, 2.77644510519779),
    (0.975, 5, 2.57058183563631),
    (0.975, 10, 2.22813885198627),
    (0.975, 20, 2.08596344726586),
    (0.975, 29, 2.04522964213270),
    (0.975, 30, 2.04227245630124),
    (0.975, 100, 1.98397151844963),
    (0.995, 7, 3.49948329735049),
    (0.95, 15, 1.75305035569257),
    (0.9, 1, 3.07768353717525),
]


@pytest.mark.parametrize(("p", "df", "expected"), KNOWN)
def test_quantiles_match_published_values(p: float, df: int, expected: float) -> None:
    assert t_quantile(p, df) == pytest.approx(expected, abs=1e-10)
    assert t_quantile(1 - p, df) == pytest.approx(-expected, abs=1e-10)


def test_the_multiplier_of_n_answers_uses_n_minus_one_degrees_of_freedom() -> None:
    assert t95(2) == pytest.approx(12.7062047361747, abs=1e-10)
    assert t95(30) == pytest.approx(2.04522964213270, abs=1e-10)
    # It falls towards the normal quantile, and the two methods meet where they hand over.
    values = [t95(n) for n in range(2, 3000, 7)]
    assert values == sorted(values, reverse=True) and values[-1] > Z95
    assert t95(10**6) == pytest.approx(Z95, abs=3e-6) and t95(10**9) == pytest.approx(Z95)
    for df in (EXPANSION_DF - 1, EXPANSION_DF, 5 * EXPANSION_DF):
        assert t_cdf(t_quantile(0.975, df), df) == pytest.approx(0.975, abs=1e-11)


def test_cdf_and_incomplete_beta_closed_forms() -> None:
    # df = 1 is the Cauchy distribution; I_x(a, 1) = x**a; I_x(1, b) = 1 - (1 - x)**b.
    for t in (-5.0, -0.3, 0.0, 0.7, 9.0):
        assert t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-13)
    assert incomplete_beta(3.0, 1.0, 0.4) == pytest.approx(0.4**3, abs=1e-13)
    assert incomplete_beta(1.0, 2.5, 0.4) == pytest.approx(1 - 0.6**2.5, abs=1e-13)
    assert incomplete_beta(2.0, 2.0, 0.0) == 0 and incomplete_beta(2.0, 2.0, 1.0) == 1


@pytest.mark.parametrize(("p", "df"), [(0.0, 3), (1.0, 3), (0.5, 0), (float("nan"), 3)])
def test_bad_arguments_are_refused(p: float, df: int) -> None:
    with pytest.raises(ValueError, match="t quantile needs"):
        t_quantile(p, df)
