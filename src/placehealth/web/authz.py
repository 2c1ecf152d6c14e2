"""Who may use each route: every route names its roles, and a route that names none is refused.

``@allow(*roles)`` marks an endpoint; :data:`PUBLIC` marks the few open to
anyone (the sign-in page). The app-wide dependency in :mod:`placehealth.web.app`
reads the mark of the route being served, so forgetting it denies access
instead of granting it (deny by default).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from fastapi.routing import APIRoute

from placehealth.phm.access import ADMIN, ANALYST, CALDICOTT_GUARDIAN, NEIGHBOURHOOD_TEAM

F = TypeVar("F", bound=Callable[..., object])

PUBLIC = frozenset({"*public*"})
# aggregate, disclosure-controlled outputs: anyone with a role
AGGREGATES = frozenset({ANALYST, CALDICOTT_GUARDIAN, ADMIN, NEIGHBOURHOOD_TEAM})
AUDIT_READERS = frozenset({CALDICOTT_GUARDIAN, ADMIN})
# upload a plan's actuals and accept the checker's findings
PLAN_EDITORS = frozenset({ANALYST, ADMIN})
ROLES_ATTRIBUTE = "__placehealth_roles__"


def allow(*roles: str | frozenset[str]) -> Callable[[F], F]:
    """Mark an endpoint as open to ``roles`` (role names or sets of them)."""
    names: set[str] = set()
    for role in roles:
        names |= {role} if isinstance(role, str) else set(role)

    def mark(endpoint: F) -> F:
        setattr(endpoint, ROLES_ATTRIBUTE, frozenset(names))
        return endpoint

    return mark


def roles_of(endpoint: object) -> frozenset[str] | None:
    """The roles an endpoint was marked with, or None when it was not marked."""
    return getattr(endpoint, ROLES_ATTRIBUTE, None)


def api_routes(routes: Iterable[object]) -> Iterator[APIRoute]:
    """Every page and API route, including those of routers included in the app."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from api_routes(included.routes)
        elif isinstance(route, APIRoute):
            yield route


def unmarked_routes(routes: Iterable[object]) -> list[str]:
    """The paths of routes that name no roles (the site refuses them; tests require none)."""
    return [r.path for r in api_routes(routes) if roles_of(r.endpoint) is None]
