"""Where the indicator page gets its charts: one hook for the chart functions to fill.

Each chart is a dict ``{"id", "title", "svg", "description"}``; the page shows them
above the table of values (templates/indicator_charts.html). None are drawn yet,
so the page shows the table alone.
"""

from __future__ import annotations

from typing import Any

from placehealth.services.site_outputs import SiteOutputs


def indicator_charts(
    outputs: SiteOutputs, indicator_id: str, area_type: str
) -> list[dict[str, Any]]:
    """The charts of one indicator for one kind of area (none until the chart functions land)."""
    return []
