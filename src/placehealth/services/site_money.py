"""Money for the site: the financial position, the Better Care Fund and its payment at risk,
the risk registers and investment prioritisation, each from the plan folders by the very
service the command runs (``placehealth finance model|invest``, ``placehealth bcf
show|payment``, ``placehealth risks show|heatmap``); here only the choice of plan, the
what-if's query read as the command's ``--set``, and the records as tables to download.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from placehealth.errors import UserError

POSITION_COLUMNS = ("rec", "non-rec", "total")  # the position model's three columns
HEATMAP = "risk-heatmap-{key}.svg"
T = TypeVar("T")
REMEMBERED = 256  # answers kept (a what-if's values are many): past it, start again
_remembered: dict[tuple[object, ...], Any] = {}


def plans_version(plans_root: Path) -> tuple[tuple[str, int, int], ...]:
    """Each plan file's name, change time and size: an edited plan gives a new version."""
    files = sorted(p for p in plans_root.rglob("*") if p.is_file())
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def remembered(plans_root: Path, key: tuple[object, ...], job: Callable[[], T]) -> T:
    """``job``'s answer, worked out once per version of the plan files (a page costs a
    look-up, not a re-read of every plan)."""
    full = (str(plans_root), *key, plans_version(plans_root))
    if full not in _remembered:
        if len(_remembered) >= REMEMBERED:
            _remembered.clear()
        _remembered[full] = job()
    answer: T = _remembered[full]
    return answer


def _folders(plans_root: Path) -> list[Path]:
    return sorted(p for p in plans_root.iterdir() if p.is_dir()) if plans_root.is_dir() else []


def _works(job: Callable[[Path], object]) -> Callable[[Path], bool]:
    def works(folder: Path) -> bool:
        try:
            job(folder)
        except UserError:
            return False
        return True

    return works


def position_plans(plans_root: Path) -> list[str]:
    """The plans whose finance files give a position model (``placehealth finance model``)."""
    from placehealth.services import finance

    works = _works(lambda f: finance.position_model(f, []))
    return [f.name for f in _folders(plans_root) if works(f)]


def bcf_plans(plans_root: Path) -> list[str]:
    from placehealth.finance.bcf_load import bcf_files

    return [f.name for f in _folders(plans_root) if bcf_files(f)]


def investment_plans(plans_root: Path) -> list[str]:
    from placehealth.finance.invest import investment_files

    return [f.name for f in _folders(plans_root) if investment_files(f)]


def chosen(plans: list[str], plan: str | None, what: str) -> str:
    """The plan asked for, else the first; one the site does not hold is a clear error."""
    if plan is None and plans:
        return plans[0]
    if plan not in plans:
        raise UserError(f"no {what} for a plan '{plan}'", hint="choose one of: " + ", ".join(plans))
    return plan


def position_table(record: Mapping[str, Any]) -> pd.DataFrame:
    """``placehealth finance model``'s record as one table: each year's lines, the printed
    total beside the derived one, and the derived (or what-if) rec, non-rec and total."""
    rows = [
        {"period": year["period"], "table": year["table"], "line": row["label"],
         "printed_total": row["printed"][2], "derived_total": row["derived"][2],
         **{f"what_if_{c}": v for c, v in zip(POSITION_COLUMNS, row["what_if"], strict=True)}}
        for year in record["years"] for row in year["rows"]
    ]  # fmt: skip
    return pd.DataFrame(rows)


def what_if_sets(query: Mapping[str, str], metrics: list[str]) -> list[str]:
    """The what-if form's fields (one per metric, blank for none) as the command's
    ``--set metric=value``; :func:`placehealth.services.bcf.parse_sets` checks them."""
    return [f"{m}={query[m].strip()}" for m in metrics if query.get(m, "").strip()]


def bcf_metrics(plan_folder: Path) -> list[str]:
    """The metrics the plan's performance payment counts, in the order the plan lists them."""
    from placehealth.services import bcf

    return list(dict.fromkeys(m["metric"] for m in bcf.show(plan_folder)[0]["metrics"]))


def heatmap_svg(plans_root: Path, files: Path) -> bytes:
    """The registers' heat map, drawn by ``placehealth risks heatmap`` once per state of the
    register files into the site's files folder, and read back from there after."""
    from placehealth.finance.risks_register import register_files
    from placehealth.services import risks

    stamp = "".join(
        f"{p}:{p.stat().st_mtime_ns}:{p.stat().st_size};" for p in register_files(plans_root)
    )
    key = hashlib.sha256(stamp.encode()).hexdigest()[:16]
    path = files / "money" / HEATMAP.format(key=key)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        risks.heatmap(plans_root, path)
    return path.read_bytes()


def investments_table(record: Mapping[str, Any]) -> pd.DataFrame:
    """``placehealth finance invest``'s ranking as a table."""
    rows = [
        {"rank": p["rank"], "proposal": p["label"], "score": p["score"], "cost_m": p["cost"],
         "bought": p["bought"], "why_not": p["why_not"], "rank_kept": p["rank_kept"],
         "rank_5": p["rank_5_95"][0], "rank_95": p["rank_5_95"][1], "source": p["source"]}
        for p in record["proposals"]
    ]  # fmt: skip
    return pd.DataFrame(rows)
