"""The place's web application: the published outputs for people who do not use a terminal.

A thin layer over :mod:`placehealth.services`: pages and the JSON API show what
the service functions return, and hold no analysis of their own. The site keeps
its own state (accounts, sessions, the audit of what was done, uploads, accepted
findings) in a SQL database through SQLAlchemy, migrated with Alembic: SQLite by
default, PostgreSQL in production (docs/web.md).
"""
