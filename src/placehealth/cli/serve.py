"""``placehealth serve`` and ``placehealth site``: the web application and its accounts."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from placehealth.cli.options import console

OUTPUTS_HELP = (
    "The outputs to show: the folder a run wrote (default: out/demo, or PLACEHEALTH_OUTPUTS)."
)
DATABASE_HELP = (
    "The site's own database (accounts, audit): a SQLAlchemy URL, e.g. "
    "postgresql+psycopg://user@host/db (default: PLACEHEALTH_DATABASE_URL, else "
    "SQLite in out/site/site.db)."
)

EXAMPLE = "Example: placehealth site user add alice --role analyst"
site_app = typer.Typer(
    help=f"The web site's database and accounts.\n\n{EXAMPLE}",
    no_args_is_help=True,
)
user_app = typer.Typer(
    help=f"Accounts that may sign in to the site.\n\n{EXAMPLE}",
    no_args_is_help=True,
)
site_app.add_typer(user_app, name="user")
token_app = typer.Typer(
    help="API tokens for scripts (/api only).\n\nExample: placehealth site token add alice",
    no_args_is_help=True,
)
site_app.add_typer(token_app, name="token")


def serve(
    outputs: Path = typer.Option(None, "--outputs", help=OUTPUTS_HELP),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on."),
    port: int = typer.Option(8000, "--port", help="The port to listen on."),
) -> None:
    """Start the web site over a run's outputs (the demo's by default), printing its address.

    Brings the site's database to the newest schema first. Behind a proxy or for
    production, run the ASGI app placehealth.web.asgi:app under an ASGI server
    (docs/web.md).

    Example: placehealth serve --port 8000
    """
    import uvicorn

    from placehealth.services.site_admin import migrate_database
    from placehealth.web.app import create_app
    from placehealth.web.settings import SiteSettings, oidc_settings, outputs_folder
    from placehealth.web.settings import database_url as resolve_url

    settings = SiteSettings(
        outputs=outputs_folder(outputs), database_url=resolve_url(database_url),
        oidc=oidc_settings(),
    )  # fmt: skip
    app = create_app(settings)  # refuses missing outputs before anything else
    migrate_database(settings.database_url)
    console.print(f"placehealth site: http://{host}:{port}/ (Ctrl+C to stop)", highlight=False)
    console.print(
        "add an account first: placehealth site user add NAME --role analyst", highlight=False
    )
    uvicorn.run(
        app, host=host, port=port, access_log=False, log_level="warning", proxy_headers=False
    )


@site_app.command("migrate")
def migrate_command(
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
) -> None:
    """Bring the site's database to the newest schema (serve does this on start).

    Example: placehealth site migrate --database-url postgresql+psycopg://placehealth@db/site
    """
    from placehealth.services.site_admin import migrate_database
    from placehealth.web.settings import database_url as resolve_url

    migrate_database(resolve_url(database_url))
    console.print("the site's database is at the newest schema")


@user_app.command("add")
def add_user(
    name: str = typer.Argument(..., help="The user name people sign in with."),
    role: list[str] = typer.Option(
        ...,
        "--role",
        help="A role (repeat for several): analyst, neighbourhood_team, caldicott_guardian, admin.",
    ),
    neighbourhood: list[str] = typer.Option(
        [],
        "--neighbourhood",
        "-n",
        help="A neighbourhood a neighbourhood_team user covers (repeat for several).",
    ),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input instead of asking."
    ),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
) -> None:
    """Add an account with its roles (the case-finding roles); the password is asked for.

    Example: placehealth site user add alice --role neighbourhood_team -n NBSYN01
    """
    from placehealth.services.site_admin import add_user as add
    from placehealth.web.settings import database_url as resolve_url

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    add(resolve_url(database_url), name, role, password, neighbourhood)
    console.print(f"user '{name}' added ({', '.join(role)})", highlight=False)


@token_app.command("add")
def add_token(
    name: str = typer.Argument(..., help="The user the token acts as (with their roles)."),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
) -> None:
    """Make an API token for a user's scripts; it is shown once, keep it as a secret.

    Example: placehealth site token add alice
    """
    from placehealth.services.site_admin import add_token as add
    from placehealth.web.settings import database_url as resolve_url

    token_id, token = add(resolve_url(database_url), name)
    console.print(f"API token {token_id} for '{name}' (shown once):", highlight=False)
    console.print(token, highlight=False, soft_wrap=True)


@token_app.command("revoke")
def revoke_token(
    token_id: int = typer.Argument(..., help="The token's id, as add printed it."),
    database_url: str = typer.Option(None, "--database-url", help=DATABASE_HELP),
) -> None:
    """Revoke an API token: the next request that sends it is refused.

    Example: placehealth site token revoke 3
    """
    from placehealth.services.site_admin import revoke_token as revoke
    from placehealth.web.settings import database_url as resolve_url

    name = revoke(resolve_url(database_url), token_id)
    console.print(f"API token {token_id} of '{name}' revoked", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.add_typer(site_app, name="site")
