"""Collecting generated rows year by year, as columns, and joining them at the end."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import numpy.typing as npt


class Collector:
    """Rows of one table, gathered as column arrays per year."""

    def __init__(self) -> None:
        self._parts: dict[str, list[npt.NDArray[Any]]] = defaultdict(list)

    def add(self, **columns: npt.ArrayLike) -> None:
        sizes = {np.asarray(v).size for v in columns.values()}
        if len(sizes) != 1:
            raise ValueError(f"columns of different lengths: {sizes}")
        for name, values in columns.items():
            self._parts[name].append(np.asarray(values))

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        return {name: np.concatenate(parts) for name, parts in self._parts.items()}

    def replace(self, columns: dict[str, npt.NDArray[Any]]) -> None:
        """Swap the rows for ``columns`` (after a correction across years)."""
        self._parts = defaultdict(list)
        self.add(**columns)


class Records:
    """Every generated table (person-level rows refer to people by index)."""

    def __init__(self) -> None:
        self.apc = Collector()
        self.ae = Collector()
        self.op = Collector()
        self.gp = Collector()
        self.community = Collector()
        self.mh = Collector()
        self.social = Collector()
        self.death = Collector()
        self.truth = Collector()
