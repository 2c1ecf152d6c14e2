"""Backends: where the warehouse's tables come from, as Narwhals lazy frames.

A backend hands out tables and collects small results; everything between is
engine-neutral. DuckDB reads the warehouse file directly. Spark reads the same
tables as Parquet (exported once next to the warehouse, or any folder or
catalogue of tables a cluster already has), so one pipeline serves both.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Protocol

import duckdb
import narwhals as nw
import pandas as pd
import pyarrow as pa

from placehealth.errors import ConfigurationError, InputFileError


class Backend(Protocol):
    name: str

    def table(self, name: str) -> nw.LazyFrame[Any]: ...

    def from_pandas(self, frame: pd.DataFrame, name: str) -> nw.LazyFrame[Any]: ...

    def collect(self, frame: nw.LazyFrame[Any]) -> pd.DataFrame: ...

    def close(self) -> None: ...


class DuckDBBackend:
    """Tables of a DuckDB warehouse file, read-only."""

    name = "duckdb"

    def __init__(self, path: str | Path | None = None, *, connection: Any = None) -> None:
        if connection is not None:
            self.con = connection
        else:
            if path is None or not Path(path).exists():
                raise InputFileError(
                    "warehouse not found", file=path, hint="run 'placehealth ingest' first"
                )
            self.con = duckdb.connect(str(path), read_only=True)
        # long jobs show the command's own progress bar, not one per query
        self.con.execute("SET enable_progress_bar = false")
        self._registered: dict[str, Any] = {}

    def tables(self) -> list[str]:
        """The tables and views it can read (a warehouse may present a table as a view)."""
        sql = (
            "select table_name from duckdb_tables() "
            "union all select view_name from duckdb_views() where not internal"
        )
        return [row[0] for row in self.con.sql(sql).fetchall()]

    def table(self, name: str) -> nw.LazyFrame[Any]:
        if name not in self._registered and name not in self.tables():
            raise ConfigurationError(
                f"the warehouse has no table '{name}'", hint="load the extracts with ingest"
            )
        return nw.from_native(self.con.table(name))

    def from_pandas(self, frame: pd.DataFrame, name: str) -> nw.LazyFrame[Any]:
        self._registered[name] = pa.Table.from_pandas(frame, preserve_index=False)
        self.con.register(name, self._registered[name])
        return nw.from_native(self.con.table(name))

    def collect(self, frame: nw.LazyFrame[Any]) -> pd.DataFrame:
        native = frame.to_native()
        return native.to_arrow_table().to_pandas()

    def close(self) -> None:
        self.con.close()


class SparkBackend:
    """The same tables on Spark: local mode by default, a cluster by configuration.

    ``PLACEHEALTH_SPARK_MASTER`` (default ``local[2]``) or ``SPARK_REMOTE`` (Spark
    Connect, e.g. Databricks) choose where it runs.
    """

    name = "spark"

    def __init__(self, warehouse: str | Path, *, session: Any = None) -> None:
        self.spark = session or _spark_session()
        self.source = Path(warehouse)
        self.parquet_dir = _parquet_export(self.source) if self.source.is_file() else self.source

    def table(self, name: str) -> nw.LazyFrame[Any]:
        path = self.parquet_dir / f"{name}.parquet"
        if not path.exists():
            raise ConfigurationError(f"the warehouse has no table '{name}'")
        return nw.from_native(self.spark.read.parquet(str(path)))

    def from_pandas(self, frame: pd.DataFrame, name: str) -> nw.LazyFrame[Any]:
        return nw.from_native(
            self.spark.createDataFrame(
                pa.Table.from_pandas(frame, preserve_index=False).to_pandas()
            )
        )

    def collect(self, frame: nw.LazyFrame[Any]) -> pd.DataFrame:
        native = frame.to_native()
        return native.toArrow().to_pandas()

    def close(self) -> None:
        """Sessions are shared within a process; Spark stops them at exit."""


def _spark_session() -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:  # pragma: no cover - pyspark is an optional extra
        raise ConfigurationError(
            "Spark is not installed", hint="install with the 'spark' extra: uv sync --extra spark"
        ) from None
    remote = os.environ.get("SPARK_REMOTE")
    if remote:
        return SparkSession.builder.remote(remote).getOrCreate()
    builder = (
        SparkSession.builder.master(os.environ.get("PLACEHEALTH_SPARK_MASTER", "local[2]"))
        .appName("placehealth")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.ansi.enabled", "false")
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _parquet_export(warehouse: Path) -> Path:
    """Export every table of a DuckDB warehouse to Parquet once per version of the file."""
    stat = warehouse.stat()
    tag = hashlib.sha256(
        f"{warehouse.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode()
    ).hexdigest()[:12]
    folder = warehouse.parent / f".{warehouse.stem}.parquet-{tag}"
    if (folder / "_complete").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for (name,) in con.sql("select table_name from duckdb_tables()").fetchall():
            con.sql(f"copy {name} to '{folder / name}.parquet' (format parquet)")
    finally:
        con.close()
    (folder / "_complete").touch()
    return folder


def open_backend(engine: str, warehouse: str | Path) -> Backend:
    """``duckdb`` (default) or ``spark`` over the same warehouse."""
    if engine == "duckdb":
        return DuckDBBackend(warehouse)
    if engine == "spark":
        if not Path(warehouse).exists():
            raise InputFileError("warehouse not found", file=warehouse)
        return SparkBackend(warehouse)
    raise ConfigurationError(f"unknown engine '{engine}'", hint="use duckdb or spark")
