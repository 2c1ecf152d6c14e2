"""The only package that talks to a database: engine-neutral pipelines and their backends.

Pipelines are written once against Narwhals lazy frames and run unchanged on
DuckDB (the default, one machine) and on Spark (scale-out), DESIGN §2–3.
"""

from placehealth.engine.backends import DuckDBBackend, SparkBackend, open_backend

__all__ = ["DuckDBBackend", "SparkBackend", "open_backend"]
