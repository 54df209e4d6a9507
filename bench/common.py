"""What every benchmark script shares: a fresh database to load into, and its own section of
docs/benchmarks.md rewritten in place. Run the scripts as modules from the project root
(`.venv/bin/python -m bench.<script>`) so this import resolves."""

import re
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "docs" / "benchmarks.md"


def fresh_database(admin_url: str, name: str) -> str:
    """Drops and recreates `name` on the server of `admin_url`; returns the URL of the new database."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return re.sub(r"/[^/]*$", f"/{name}", admin_url)


def write_section(heading: str, section: str) -> None:
    """Replaces (or appends) the "## <heading>" section, leaving the other sections as they are."""
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^## {re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(section.rstrip("\n") + "\n\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    BENCHMARKS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
