"""The `jiedan` command (contract: "Install and commands")."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import enum
import gc
import json
import logging
import signal
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError

from bot.settings import Settings
from storage.catalog import CatalogError

app = typer.Typer(no_args_is_help=True, add_completion=False, help="jiedan — chat-bot order intake.")
nlu_app = typer.Typer(no_args_is_help=True, help="Run the NLU on its own.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
staff_app = typer.Typer(no_args_is_help=True, help="Dashboard accounts.")
web_app = typer.Typer(no_args_is_help=True, help="The web chat page and dashboard.")
app.add_typer(nlu_app, name="nlu")
app.add_typer(db_app, name="db")
app.add_typer(staff_app, name="staff")
app.add_typer(web_app, name="web")

log = logging.getLogger("jiedan")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"jiedan: {message}", err=True)
    return typer.Exit(code=2)


def _settings(**overrides: object) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as e:
        problems = "; ".join(f"JIEDAN_{'_'.join(map(str, err['loc'])).upper()}: {err['msg']}"
                             if err["loc"] else err["msg"].removeprefix("Value error, ")
                             for err in e.errors())
        raise _fail(f"bad configuration: {problems}") from None


def _run(coro):  # noqa: ANN001, ANN202 - any coroutine
    """Run a command's coroutine, turning configuration and connection errors into messages."""
    try:
        with asyncio.Runner(loop_factory=_loop_factory()) as runner:
            return runner.run(coro)
    except CatalogError as e:
        raise _fail(str(e)) from None
    except (OSError, ConnectionError) as e:
        raise _fail(f"cannot reach a backing service: {e}") from None


def _loop_factory():  # noqa: ANN202 - an event loop factory, or None for asyncio's own
    """uvloop where it exists (not on Windows): aiohttp, asyncpg and redis spend a tenth
    less CPU per message on it (bench/e2e_bench.py, 7.0 → 6.3 ms in the two servers)."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def _logging(level: int = logging.INFO) -> None:
    from bot.logs import setup

    setup(level)


# ---------------------------------------------------------------- serve / worker
@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 = any free port).")] = 8080,
    no_worker: Annotated[bool, typer.Option("--no-worker", help="Do not run the reminder worker here.")] = False,
) -> None:
    """Run the HTTP service (channels, admin API) and, unless --no-worker, the worker."""
    _logging()
    _run(_serve(_settings(), host, port, with_worker=not no_worker))


async def _serve(settings: Settings, host: str, port: int, *, with_worker: bool) -> None:
    from aiohttp import web

    from bot.app import build_app
    from bot.server import make_web_app

    app = await build_app(settings)
    runner = web.AppRunner(make_web_app(app), access_log=None)
    await runner.setup()
    _freeze_start_up()
    site = web.TCPSite(runner, host, port)
    try:
        await site.start()
    except OSError as e:
        await runner.cleanup()
        await app.close()
        raise _fail(f"cannot listen on {host}:{port}: {e.strerror}") from None
    bound = runner.addresses[0][1] if runner.addresses else port
    stop = _stop_on_signals()
    worker = asyncio.create_task(app.worker.run_forever(stop)) if with_worker else None
    if app.telegram is not None and settings.telegram_mode == "polling":
        await app.telegram.start_polling()
    print(f"listening on http://{host}:{bound}", flush=True)
    await stop.wait()
    log.info("shutting down")
    if app.telegram is not None:
        await app.telegram.stop()
    if worker is not None:
        await worker
    await runner.cleanup()
    await app.close()


def _freeze_start_up() -> None:
    """What start-up made (modules, Telegram's pydantic models, NLU tables, the app) lives
    as long as the process: frozen out of the collector, a full collection no longer
    walks it all (~0.2 s of CPU each on a 250 MB heap) every few thousand messages."""
    gc.collect()
    gc.freeze()


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


@app.command()
def worker() -> None:
    """Run the reminder/delivery worker alone (multi-process deployments)."""
    _logging()
    _run(_worker())


async def _worker() -> None:
    # Before the slow part (reading the settings imports aiogram, then the app): a stop
    # asked for while starting is a clean exit, not death by the signal's default action.
    stop = _stop_on_signals()
    settings = _settings()
    from bot.app import build_app

    app = await build_app(settings)
    _freeze_start_up()
    try:
        await app.worker.run_forever(stop)
    finally:
        await app.close()


# ---------------------------------------------------------------- chat
class Lang(str, enum.Enum):
    zh = "zh"
    en = "en"


@app.command()
def chat(
    user: Annotated[str, typer.Option(help="The customer id to chat as.")] = "console-user",
    lang: Annotated[Optional[Lang], typer.Option(help="Start in this language.")] = None,
) -> None:
    """Chat as a customer on the terminal; one message per line, also with piped input."""
    _logging(logging.WARNING)
    # The terminal is the operator's own: a piped script of many lines is not a flood.
    _run(_chat(_settings(rate_limit=0), user, lang.value if lang else None))


async def _chat(settings: Settings, user: str, lang: str | None) -> None:
    from bot.app import build_app
    from bot.console import run_chat

    app = await build_app(settings)
    try:
        await run_chat(app.conversations, user=user, lang=lang, stdin=sys.stdin, stdout=sys.stdout,
                       interactive=sys.stdin.isatty())
    finally:
        await app.close()


# ---------------------------------------------------------------- nlu
def _parser_and_now(catalog: Path | None, now: str | None):  # noqa: ANN202
    from bot.app import business_timezone
    from nlu.backends import make_parser
    from storage.catalog import load_catalog

    settings = _settings()
    try:
        cat = load_catalog(catalog or settings.catalog)
    except CatalogError as e:
        raise _fail(str(e)) from None
    tz = business_timezone(settings, cat)
    default_now = None
    if now:
        try:
            default_now = dt.datetime.fromisoformat(now)
        except ValueError:
            raise _fail(f"--now must be ISO 8601, e.g. 2026-11-24T20:00:00+08:00 (got {now!r})") from None
    try:
        parser = make_parser(cat, tz, settings.nlu_backend, settings.rasa_url)
    except ValueError as e:
        raise _fail(str(e)) from None
    return parser, default_now


@nlu_app.command("parse")
def nlu_parse(
    now: Annotated[Optional[str], typer.Option(help="Default 'now' (ISO 8601) for lines without one.")] = None,
    catalog: Annotated[Optional[Path], typer.Option(help="Catalog YAML (default: JIEDAN_CATALOG or the demo).")] = None,
) -> None:
    """JSON lines on stdin → intent and slots as JSON lines on stdout."""
    from nlu.lines import parse_lines

    parser, default_now = _parser_and_now(catalog, now)
    for out in parse_lines(sys.stdin, parser, default_now):
        sys.stdout.write(out + "\n")
        sys.stdout.flush()


@nlu_app.command("eval")
def nlu_eval(
    file: Annotated[Path, typer.Argument(help="Labelled JSON lines.")],
    catalog: Annotated[Optional[Path], typer.Option(help="Catalog YAML.")] = None,
    now: Annotated[Optional[str], typer.Option(help="Default 'now' for records without one.")] = None,
) -> None:
    """Score the NLU on a labelled file: intent accuracy, per-slot P/R/exact, whole message."""
    from nlu.lines import evaluate, format_report

    parser, default_now = _parser_and_now(catalog, now)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise _fail(f"cannot read {file}: {e.strerror}") from None
    records = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise _fail(f"{file}:{n}: not valid JSON ({e.msg})") from None
    typer.echo(format_report(evaluate(records, parser, default_now)))


# ---------------------------------------------------------------- db / export
@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the latest version."""
    _run(_db_upgrade(_settings()))


async def _db_upgrade(settings: Settings) -> None:
    from storage.migrate import current_revision

    async with _database(settings) as db:
        typer.echo(f"database at revision {await current_revision(db)}")


class ExportFormat(str, enum.Enum):
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", help="csv or xlsx.")],
    out: Annotated[Optional[Path], typer.Option(help="Output file (default: stdout for csv).")] = None,
) -> None:
    """Export all orders."""
    if format is ExportFormat.xlsx and out is None and sys.stdout.isatty():
        raise _fail("xlsx is binary: give --out FILE or redirect stdout")
    data = _run(_export(_settings(), format))
    if out is None:
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    try:
        out.write_bytes(data) if isinstance(data, bytes) else out.write_text(data, encoding="utf-8")
    except OSError as e:
        raise _fail(f"cannot write {out}: {e.strerror}") from None
    typer.echo(f"wrote {out}", err=True)


async def _export(settings: Settings, fmt: ExportFormat) -> str | bytes:
    from storage import orders as order_repo
    from storage.catalog import load_catalog
    from storage.export import order_row, to_csv, to_xlsx

    business = load_catalog(settings.catalog).business  # our address as it is now; its currency
    async with _database(settings) as db, db.sessions() as session:
        rows = [order_row(o, settings.tz, business) for o in await order_repo.listing(session)]
    if fmt is ExportFormat.csv:
        return to_csv(rows, currency=business.currency)
    return to_xlsx(rows, currency=business.currency)


# ---------------------------------------------------------------- staff / web
class Role(str, enum.Enum):
    owner = "owner"
    dispatcher = "dispatcher"
    staff = "staff"


@staff_app.command("add")
def staff_add(
    name: Annotated[str, typer.Argument(help="The name orders show for this person.")],
    role: Annotated[Role, typer.Option(help="owner: all and money; dispatcher: all orders; staff: own orders.")]
    = Role.staff,
) -> None:
    """Create a dashboard account and print its sign-in token (shown only this once)."""
    if not name.strip():
        raise _fail("give the person's name")
    staff_id, token = _run(_staff_add(_settings(), name.strip(), role.value))
    typer.echo(f"staff {staff_id} ({name.strip()}, {role.value}): sign in at /admin/login with this token:",
               err=True)
    typer.echo(token)


async def _staff_add(settings: Settings, name: str, role: str) -> tuple[int, str]:
    from storage import staff as staff_repo

    async with _database(settings) as db, db.sessions.begin() as session:
        staff, token = await staff_repo.add_account(session, name, role)
        return staff.id, token


@staff_app.command("list")
def staff_list() -> None:
    """List staff: id, role, channel, active, name."""
    for row in _run(_staff_list(_settings())):
        typer.echo("\t".join(row))


async def _staff_list(settings: Settings) -> list[tuple[str, ...]]:
    from storage import staff as staff_repo

    async with _database(settings) as db, db.sessions() as session:
        return [(str(s.id), s.role, s.channel, "active" if s.active else "inactive", s.name)
                for s in await staff_repo.everyone(session)]


@staff_app.command("deactivate")
def staff_deactivate(staff_id: Annotated[int, typer.Argument(help="The id from `jiedan staff list`.")]) -> None:
    """Switch an account off: its token and open dashboard sessions stop working at once."""
    if not _run(_staff_deactivate(_settings(), staff_id)):
        raise _fail(f"no staff member {staff_id}")
    typer.echo(f"staff {staff_id} deactivated")


async def _staff_deactivate(settings: Settings, staff_id: int) -> bool:
    from storage import staff as staff_repo

    async with _database(settings) as db, db.sessions.begin() as session:
        return await staff_repo.set_active(session, staff_id, False) is not None


@contextlib.asynccontextmanager
async def _database(settings: Settings):  # noqa: ANN202 - yields a migrated Database
    from storage.catalog import load_catalog
    from storage.db import Database
    from storage.migrate import upgrade

    catalog = load_catalog(settings.catalog)  # what old orders' quantities meant (migration 0007)
    db = Database(settings.database_url)
    try:
        await upgrade(db, catalog=catalog)
        yield db
    finally:
        await db.dispose()


@web_app.command("secret")
def web_secret() -> None:
    """Print a new key for JIEDAN_WEB_SECRET (signs the chat and dashboard cookies)."""
    from cryptography.fernet import Fernet

    typer.echo(Fernet.generate_key().decode())
