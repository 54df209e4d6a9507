"""Proposes a colour (红黄蓝) from the admins' rules; the center confirms or overrides it."""

from dataclasses import dataclass

from dispatch.choices import TriageColor
from dispatch.models import TriageRule
from intake.models import Case

SEVERITY = {TriageColor.BLUE: 0, TriageColor.YELLOW: 1, TriageColor.RED: 2}


@dataclass(frozen=True)
class TriageReason:
    rule: int
    name: str
    color: str

    def as_dict(self) -> dict:
        return {"rule": self.rule, "name": self.name, "color": self.color}


def propose_color(case: Case) -> tuple[str, list[TriageReason]]:
    """The most severe colour among the active rules the case meets (blue when none), with every match."""
    reasons = [
        TriageReason(rule.pk, rule.name, rule.color)
        for rule in TriageRule.objects.filter(is_active=True)
        if rule_matches(rule, case)
    ]
    color = max((r.color for r in reasons), key=SEVERITY.__getitem__, default=TriageColor.BLUE)
    return str(color), reasons


def rule_matches(rule: TriageRule, case: Case) -> bool:
    """Every condition the rule fills in must hold; a rule with no condition never matches."""
    checks = []
    if rule.category_id:
        checks.append(case.category_id == rule.category_id or case.category.parent_id == rule.category_id)
    if rule.min_parties is not None:
        checks.append(case.involved_people >= rule.min_parties)
    if rule.min_repeat_visits is not None:
        checks.append(case.repeat_count >= rule.min_repeat_visits)
    if rule.min_amount is not None:
        checks.append(case.amount is not None and case.amount >= rule.min_amount)
    if rule.keyword_list:
        text = f"{case.summary}\n{case.description}"
        checks.append(any(word in text for word in rule.keyword_list))
    return bool(checks) and all(checks)
