"""Alembic's environment: runs the migrations on the connection :func:`placehealth.web.db.migrate`
hands it (or on ``sqlalchemy.url`` for the ``alembic`` command)."""

from alembic import context
from sqlalchemy import create_engine

from placehealth.web.db import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        context.run_migrations()
else:
    context.configure(connection=connection, target_metadata=Base.metadata)
    context.run_migrations()
