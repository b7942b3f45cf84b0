"""`lms serve` starts cheaply: no Alembic when the database is at head, no heavy imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from lms import migrations_dir
from lms.cli.serve import database_is_current, script_heads


def test_the_heads_read_from_the_scripts_are_alembics_heads():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", migrations_dir())
    expected = set(ScriptDirectory.from_config(config).get_heads())
    assert script_heads(Path(migrations_dir()) / "versions") == expected


def test_a_merge_revision_and_an_unreadable_script(tmp_path):
    (tmp_path / "a.py").write_text("revision = 'a'\ndown_revision = None\n")
    (tmp_path / "b.py").write_text("revision = 'b'\ndown_revision = 'a'\n")
    (tmp_path / "c.py").write_text("revision: str = 'c'\ndown_revision = 'a'\n")
    assert script_heads(tmp_path) == {"b", "c"}
    (tmp_path / "d.py").write_text("revision = 'd'\ndown_revision = ('b', 'c')\n")
    assert script_heads(tmp_path) == {"d"}
    (tmp_path / "e.py").write_text("revision = make_id()\n")
    assert script_heads(tmp_path) == set()  # unsure: `upgrade()` decides


def test_only_a_database_at_head_skips_the_upgrade(app, db):
    with app.app_context():
        assert database_is_current()
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'b2d4f6a80001'"))
        try:
            assert not database_is_current()
        finally:
            heads = script_heads(Path(migrations_dir()) / "versions")
            with db.engine.begin() as connection:
                connection.execute(
                    text("UPDATE alembic_version SET version_num = :head"), {"head": heads.pop()}
                )


def test_a_web_worker_imports_neither_alembic_nor_fpdf():
    probe = (
        "import sys\n"
        "from lms import create_app\n"
        "create_app()\n"
        "print(sorted(m for m in ('alembic', 'flask_migrate', 'fpdf', 'fontTools', 'rich')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[-2] == "[]"


def _probe(tmp_path: Path, script: str, **env: str) -> str:
    """Run `script` in a fresh interpreter with the app on a SQLite database in `tmp_path`."""
    import os

    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LMS_") or key == "LMS_ENV"
    }
    environment.update(
        LMS_INSTANCE_PATH=str(tmp_path),
        LMS_DATABASE_URL=f"sqlite:///{tmp_path / 'lms.sqlite3'}",
        **env,
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=environment
    )
    return result.stdout.split("\n")[-2]


def test_a_web_worker_on_sqlite_imports_no_unused_client_or_file_writer(tmp_path):
    # XlsxWriter, segno and email_validator are needed by an export, a certificate, a CSV of
    # trainees; the course checker and publishing by `lms courses`, a push or a page that
    # parses a course; the renderer by the first quiz question.
    unused = (
        "xlsxwriter",
        "segno",
        "email_validator",
        "lms.domain.courses.loader",
        "lms.services.courses.publishing",
        "lms.domain.render",  # Markdown and bleach: with the first quiz text
    )
    probe = (
        "import sys\n"
        "from lms import create_app\n"
        "create_app()\n"
        f"print(sorted(m for m in {unused!r} if m in sys.modules))\n"
    )
    assert _probe(tmp_path, probe) == "[]"
