"""Datasette hook implementations: each is a few lines that call into views and sql_functions."""

from datasette import hookimpl

from . import canned_queries as canned_queries_mod
from . import config as config_mod
from . import integration, sql_functions


@hookimpl
def startup(datasette):
    errors = config_mod.validate_datasette(datasette)
    if errors:
        from datasette.utils import StartupError

        raise StartupError("datasette-framing configuration:\n- " + "\n- ".join(errors))
    integration.freeze_startup_heap()


@hookimpl
def prepare_connection(conn, database, datasette):
    config = config_mod.get_config(datasette, database)
    sql_functions.register(conn, max_text_chars=config["max_text_chars"], lexicon_dir=config["lexicon_dir"])


@hookimpl
def canned_queries(datasette, database):
    async def inner():
        if not config_mod.get_config(datasette, database)["canned_queries"]:
            return None
        if not await config_mod.is_framing_database(datasette, database):
            return None
        # metadata.yml wins: offer only the queries it does not already define (or redefine).
        defined = datasette.metadata("queries", database=database, fallback=False) or {}
        return {k: v for k, v in canned_queries_mod.queries().items() if k not in defined}

    return inner


@hookimpl
def render_cell(value, column, table, database, datasette):
    return integration.render_cell(datasette, database, table, column, value)


@hookimpl
def menu_links(datasette, actor):
    async def inner():
        return await integration.menu_links(datasette, actor)

    return inner


@hookimpl
def database_actions(datasette, database):
    async def inner():
        return await integration.database_actions(datasette, database)

    return inner


@hookimpl
def table_actions(datasette, database, table):
    async def inner():
        return await integration.table_actions(datasette, database, table)

    return inner


@hookimpl
def register_commands(cli):
    from .cli import cli as framing_cli

    cli.add_command(framing_cli, name="framing")


# The entry point names the module datasette_framing.plugin, not the package, so
# Datasette does not mount the package's static/ and templates/ by itself: we do.
_PACKAGE_DIR = __import__("pathlib").Path(__file__).resolve().parent


@hookimpl
def register_routes():
    from datasette.utils.asgi import asgi_static

    from . import views

    static = (r"^/-/static-plugins/datasette_framing/(?P<path>.*)$", asgi_static(_PACKAGE_DIR / "static"))
    return [static, *views.routes()]


@hookimpl
def prepare_jinja2_environment(env):
    from jinja2 import ChoiceLoader, FileSystemLoader

    from .canned_query_page import CannedQueryLoader, rows_html

    # After Datasette's own loaders: our templates are all named framing_*.html and shadow nothing;
    # CannedQueryLoader answers query-<db>-<query>.html for our canned queries only.
    env.loader = ChoiceLoader([env.loader, CannedQueryLoader(env.loader), FileSystemLoader(str(_PACKAGE_DIR / "templates"))])
    env.globals["framing_rows_html"] = rows_html


def _framing_template(template) -> bool:
    return bool(template) and template.startswith("framing_")


@hookimpl
def extra_css_urls(template, datasette):
    if not _framing_template(template):
        return []
    return [datasette.urls.static_plugins("datasette_framing", "framing.css")]


@hookimpl
def extra_js_urls(template, datasette):
    if not _framing_template(template):
        return []
    return [{"url": datasette.urls.static_plugins("datasette_framing", "framing.js"), "module": True}]
