"""Names of the warehouse tables and columns the pipelines read (DESIGN §4).

Kept in one place so a site whose warehouse names differ maps them here.
"""

from __future__ import annotations

PERSON = "person"
CONDITION = "condition"
APC_SPELL = "apc_spell"
AE_ATTENDANCE = "ae_attendance"
OP_APPOINTMENT = "op_appointment"
SOCIAL_CARE = "social_care"
DEATH = "death"
LSOA = "geo_lsoa"  # lsoa, neighbourhood, imd_decile
PRACTICE = "geo_practice"  # practice_code, pcn

AREA_TYPES = ("place", "neighbourhood", "pcn", "practice", "lsoa", "imd_decile")
