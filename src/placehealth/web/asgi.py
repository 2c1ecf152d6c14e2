"""The site as an ASGI application for a production server, configured by the environment.

``uvicorn placehealth.web.asgi:app`` (or gunicorn with uvicorn workers) with
``PLACEHEALTH_OUTPUTS`` and ``PLACEHEALTH_DATABASE_URL`` set; run
``placehealth site migrate`` before starting it (docs/web.md).
"""

from placehealth.web.app import create_app
from placehealth.web.settings import SiteSettings, database_url, oidc_settings, outputs_folder

app = create_app(
    SiteSettings(outputs=outputs_folder(), database_url=database_url(), oidc=oidc_settings())
)
