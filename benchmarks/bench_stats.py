"""Stats: DSR for 50,000 groups x 19 bands, life expectancy for 20,000 areas, SII for
5,000 groups x 10 deciles x 1,000 simulations.

Each is timed against a per-group Python loop over the same data in the same run
(the loop does the same arithmetic with numpy, one group at a time), and the two
results are checked to agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.harness import measure, record
from placehealth.stats import ESP2013, dsr, life_expectancy, sii
from placehealth.stats.confidence import byars_lower, byars_upper
from placehealth.stats.life_expectancy import LIFE_TABLE_STARTS, life_table

DSR_GROUPS, LE_AREAS, SII_GROUPS, SII_REPS = 50_000, 20_000, 5_000, 1_000


def dsr_data(rng: np.random.Generator) -> pd.DataFrame:
    bands = np.tile(ESP2013.index.to_numpy(), DSR_GROUPS)
    pop = rng.integers(500, 20_000, DSR_GROUPS * 19)
    return pd.DataFrame(
        {
            "area": np.repeat(np.arange(DSR_GROUPS), 19),
            "band": bands,
            "pop": pop,
            "deaths": rng.binomial(pop, 0.004),
        }
    )


def dsr_loop(data: pd.DataFrame) -> pd.DataFrame:
    """Baseline: one group at a time."""
    std = ESP2013.to_numpy()
    rows = []
    for area, g in data.groupby("area", sort=True):
        x, n = g["deaths"].to_numpy(float), g["pop"].to_numpy(float)
        total = x.sum()
        value = (x * std / n).sum() / std.sum() * 1e5
        var = (x * (std / n) ** 2).sum() / std.sum() ** 2
        scale = np.sqrt(var / total) * 1e5
        lo = value + scale * (byars_lower(np.array([total]), 0.95)[0] - total)
        hi = value + scale * (byars_upper(np.array([total]), 0.95)[0] - total)
        rows.append((area, value, lo, hi))
    return pd.DataFrame(rows, columns=["area", "value", "lower95_0cl", "upper95_0cl"])


def le_data(rng: np.random.Generator) -> pd.DataFrame:
    pop = rng.integers(2_000, 8_000, LE_AREAS * 20)
    rate = np.tile(np.exp(np.linspace(-6.5, -1.5, 20)), LE_AREAS)
    return pd.DataFrame(
        {
            "area": np.repeat(np.arange(LE_AREAS), 20),
            "age": np.tile(LIFE_TABLE_STARTS, LE_AREAS),
            "pop": pop,
            "deaths": np.maximum(rng.poisson(pop * rate), 1),
        }
    )


def le_loop(data: pd.DataFrame) -> np.ndarray:
    """Baseline: one area's life table at a time."""
    out = []
    for _, g in data.groupby("area", sort=True):
        g = g.sort_values("age")
        e, _, _ = life_table(g["deaths"].to_numpy()[None, :], g["pop"].to_numpy()[None, :], [0.95])
        out.append(e[0])
    return np.concatenate(out)


def sii_data(rng: np.random.Generator) -> pd.DataFrame:
    q = np.tile(np.arange(1, 11), SII_GROUPS)
    value = 75 + 0.8 * q + rng.normal(0, 0.5, q.size)
    return pd.DataFrame(
        {
            "area": np.repeat(np.arange(SII_GROUPS), 10),
            "decile": q,
            "pop": rng.integers(5_000, 15_000, q.size),
            "le": value,
            "se": rng.uniform(0.5, 1.5, q.size),
        }
    )


def sii_loop(data: pd.DataFrame, seed: int = 1) -> pd.DataFrame:
    """Baseline: per group, draw, then least squares for each simulation via lstsq."""
    rng = np.random.default_rng(seed)
    rows = []
    for area, g in data.groupby("area", sort=True):
        g = g.sort_values("decile")
        share = g["pop"].to_numpy() / g["pop"].sum()
        rank = np.cumsum(share) - share / 2
        x = np.column_stack([np.sqrt(share), rank * np.sqrt(share)])
        y = g["le"].to_numpy()
        slope = np.linalg.lstsq(x, np.sqrt(share) * y, rcond=None)[0][1]
        draws = y + g["se"].to_numpy() * rng.standard_normal((SII_REPS, 10))
        sims = np.linalg.lstsq(x, (draws * np.sqrt(share)).T, rcond=None)[0][1]
        rows.append((area, slope, *np.quantile(np.sort(sims), [0.025, 0.975])))
    return pd.DataFrame(rows, columns=["area", "value", "lower", "upper"])


def main() -> None:
    rng = np.random.default_rng(2024)
    rows = []

    data = dsr_data(rng)
    ours_t, ours = measure(lambda: dsr(data, "deaths", "pop", "area", age_band="band"), repeat=3)
    loop_t, loop = measure(lambda: dsr_loop(data), repeat=1)
    agree = np.allclose(ours.value, loop.value) and np.allclose(ours.upper95_0cl, loop.upper95_0cl)
    rows.append(
        _row(
            "DSR + 95%/99.8% limits",
            f"{DSR_GROUPS:,} groups × 19 bands",
            ours_t,
            loop_t,
            1.0,
            agree,
        )
    )

    data = le_data(rng)
    ours_t, ours = measure(
        lambda: life_expectancy(data, "deaths", "pop", "area", age_band="age"), repeat=3
    )
    loop_t, loop = measure(lambda: le_loop(data), repeat=1)
    agree = bool(np.allclose(ours.lower95_0cl + ours.upper95_0cl, 2 * loop, equal_nan=True))
    rows.append(
        _row(
            "Life expectancy, every age",
            f"{LE_AREAS:,} areas × 20 bands",
            ours_t,
            loop_t,
            2.0,
            agree,
        )
    )

    data = sii_data(rng)

    def run() -> pd.DataFrame:
        return sii(data, "decile", "pop", "area", value="le", se="se", repetitions=SII_REPS, seed=1)

    ours_t, ours = measure(run, repeat=1)
    loop_t, loop = measure(lambda: sii_loop(data), repeat=1)
    slope = ours[ours.statistic.str.startswith("slope")].reset_index(drop=True)
    agree = bool(
        np.allclose(slope.value, loop.value)
        and np.allclose(slope.lower95_0cl, loop.lower, rtol=0.1, atol=0.3)
    )
    rows.append(
        _row(
            "SII + RII, simulated limits",
            f"{SII_GROUPS:,} groups × 10 deciles × {SII_REPS:,} sims",
            ours_t,
            loop_t,
            None,
            agree,
        )
    )

    record(
        "stats",
        "Stats: DSR, life expectancy, SII",
        rows,
        notes=(
            "Baseline: a per-group Python loop doing the same arithmetic with numpy, one group "
            "at a time, on the same data in the same run; speed-up = loop ÷ placehealth. "
            "'agree' checks the two give the same values (SII limits: the same to simulation "
            "error, different random draws). Targets from the issue: DSR ≤ 1 s, life "
            "expectancy ≤ 2 s."
        ),
    )


def _row(
    task: str, size: str, ours: float, loop: float, target: float | None, agree: bool
) -> dict[str, object]:
    return {
        "task": task,
        "size": size,
        "placehealth (s)": ours,
        "per-group loop (s)": loop,
        "speed-up": loop / ours,
        "target (s)": "—" if target is None else f"≤ {target:g}",
        "agree": "yes" if agree else "NO",
    }


if __name__ == "__main__":
    main()
