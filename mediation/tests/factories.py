import datetime as dt

import factory
from django.utils import timezone

from grid.models import Center
from intake.choices import Channel, PartyRole
from intake.models import Case, CaseParty, Category, Party
from mediation.choices import MediationKind
from mediation.models import MediationRecord


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Iterator(["邻里纠纷", "婚姻家庭纠纷", "劳动争议", "物业纠纷", "土地承包纠纷"])


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    name = factory.Iterator(["张桂兰", "李文博", "王建军", "赵秀英", "孙立新"])
    id_number = factory.Sequence(lambda n: f"22010219800101{n:04d}"[:18])
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    address = "长春市南关区南岭街道华阳社区3栋2单元"


class CaseFactory(factory.django.DjangoModelFactory):
    """A case handled at 南岭街道 by default; pass `status=` / `color=` for the state a test needs."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"220102001000-2026-{n:05d}")
    center = factory.LazyFunction(lambda: Center.objects.get(code="220102001000"))
    received_by = factory.SubFactory("mediation.tests.factories.UserFactory")
    received_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    channel = Channel.WALK_IN
    category = factory.SubFactory(CategoryFactory)
    region = factory.LazyAttribute(lambda case: case.center.region)
    summary = "楼上漏水损坏楼下装修，双方协商未果"
    description = "申请人称楼上住户卫生间防水层破损，导致其家中天花板及墙面受损，要求赔偿维修费用8600元。"
    handling_center = factory.LazyAttribute(lambda case: case.center)
    handling_region = factory.LazyAttribute(lambda case: case.center.region)

    @factory.post_generation
    def parties(case, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        CaseParty.objects.create(case=case, party=PartyFactory(name="张桂兰"), role=PartyRole.APPLICANT)
        CaseParty.objects.create(case=case, party=PartyFactory(name="李文博"), role=PartyRole.RESPONDENT)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")


class MediationRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationRecord

    case = factory.SubFactory(CaseFactory)
    kind = MediationKind.PEOPLES
    mediator = factory.SubFactory(UserFactory)
    committee = "南岭街道人民调解委员会"
