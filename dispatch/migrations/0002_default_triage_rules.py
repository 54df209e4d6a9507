"""Starting triage rules from common practice; admins edit them (分级规则) without a deploy."""

from decimal import Decimal

from django.db import migrations

RULES = [
    ("涉及自杀、自残、极端言行", "red", {"keywords": "自杀,自残,轻生,极端,跳楼,同归于尽"}),
    ("群体性、集访、越级上访苗头", "red", {"keywords": "群体,集体上访,集访,越级,聚集,围堵,上访"}),
    ("涉及人数十人以上", "red", {"min_parties": 10}),
    ("涉及金额一百万元以上", "red", {"min_amount": Decimal("1000000")}),
    ("涉及人数三人以上", "yellow", {"min_parties": 3}),
    ("重复来访两次以上", "yellow", {"min_repeat_visits": 2}),
    ("涉及金额五万元以上", "yellow", {"min_amount": Decimal("50000")}),
]


def add_rules(apps, schema_editor):
    TriageRule = apps.get_model("dispatch", "TriageRule")
    for name, color, conditions in RULES:
        TriageRule.objects.get_or_create(name=name, defaults={"color": color, **conditions})


def remove_rules(apps, schema_editor):
    apps.get_model("dispatch", "TriageRule").objects.filter(name__in=[name for name, _, _ in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0001_initial")]
    operations = [migrations.RunPython(add_rules, remove_rules)]
