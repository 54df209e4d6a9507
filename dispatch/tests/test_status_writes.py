"""The lifecycle has one writer: nothing outside dispatch/transitions/ assigns a case's status."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("grid", "intake", "dispatch", "mediation", "analytics", "zhongxin")
# `case.status = ...`, `self.case.status = ...`, `Case.objects....update(status=...)`
STATUS_WRITE = re.compile(
    r"(case|locked)\w*\.status\s*=(?!=)|Case\.objects\b.*\.update\([^)]*\bstatus\s*=", re.IGNORECASE
)
WRITERS = ROOT / "dispatch" / "transitions"


def status_writes() -> list[str]:
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if WRITERS in path.parents or "migrations" in path.parts or "tests" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if STATUS_WRITE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


def test_only_transitions_assign_case_status():
    assert status_writes() == []


def test_the_pattern_catches_writes_and_not_comparisons():
    assert STATUS_WRITE.search("case.status = 'closed'")
    assert STATUS_WRITE.search("self.case.status='closed'")
    assert STATUS_WRITE.search('Case.objects.filter(pk=1).update(status="closed")')
    assert not STATUS_WRITE.search("if case.status == 'closed':")
    assert not STATUS_WRITE.search("notice.status = 'sent'")


def test_the_writer_itself_is_found_by_the_pattern():
    # guards against a pattern that silently matches nothing
    lines = (WRITERS / "core.py").read_text(encoding="utf-8").splitlines()
    assert any(STATUS_WRITE.search(line) for line in lines)
