"""Writes for the case register: registering a matter, recording a repeat visit, retiring categories.

Every input is checked before anything is written and all problems are reported together as a
ValidationError whose dict names the field (`parties[1].id_number` for a party's field).
"""

import datetime as dt
import logging
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from grid.models import Center, GridCell, Region, Window
from grid.selectors import region_in_jurisdiction
from intake import hooks
from intake.choices import FINISHED_STATUSES, Channel, MatterType, PartyKind, PartyRole
from intake.models import (
    Attachment,
    Case,
    CaseNumberSequence,
    CaseParty,
    Category,
    IdempotencyRecord,
    Party,
    RepeatVisit,
)
from intake.permissions import IntakePermission
from intake.selectors import case_list_for_user, intake_center_for_user
from intake.validators import (
    ATTACHMENT_MAX_COUNT,
    attachment_content_type,
    normalize_id_number,
    normalize_phone,
    validate_party_id_number,
    validate_phone,
)

logger = logging.getLogger(__name__)

SUMMARY_MAX = 200
DESCRIPTION_MAX = 10_000
NOTE_MAX = 2_000
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
MAX_PARTIES = 50
# Errors about one party are keyed "parties[<index>]" or "parties[<index>].<field>".
PARTY_ERROR_KEY = re.compile(r"^parties\[(\d+)\](?:\.(\w+))?$")
SELF_FOUND_CHANNELS = (Channel.GRID_REPORT, Channel.SCREENING, Channel.HIGHER_LEVEL)


@dataclass(frozen=True)
class PartySpec:
    """One party as entered on the form or in the API, normalised."""

    kind: str
    name: str
    id_number: str
    phone: str
    address: str
    role: str

    @classmethod
    def from_input(cls, value: "PartySpec | Mapping") -> "PartySpec":
        if isinstance(value, PartySpec):
            return value
        get = value.get
        return cls(
            kind=_text(get("kind")) or PartyKind.PERSON,
            name=_text(get("name")),
            id_number=normalize_id_number(_text(get("id_number"))),
            phone=normalize_phone(_text(get("phone"))),
            address=_text(get("address")),
            role=_text(get("role")) or PartyRole.APPLICANT,
        )

    @property
    def identity_key(self) -> tuple[str, str]:
        # Lock order for party rows: by identity, so two registrations never wait on each other in a cycle.
        return (self.id_number or "~", f"{self.phone}|{self.name}")


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class _Errors(dict):
    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)


def case_register(
    *,
    actor: AbstractBaseUser,
    center: Center,
    channel: str,
    category: Category | str,
    region: Region | str,
    summary: str,
    description: str,
    parties: Sequence[PartySpec | Mapping],
    matter_type: str = MatterType.DISPUTE,
    window: Window | None = None,
    grid_cell: GridCell | str | None = None,
    received_at: dt.datetime | None = None,
    amount: Decimal | str | None = None,
    involved_people: int = 1,
    attachments: Iterable[File] = (),
    latitude: Decimal | str | float | None = None,
    longitude: Decimal | str | float | None = None,
    idempotency_key: str = "",
    idempotency_fingerprint: str = "",
) -> Case:
    """Registers one matter at `center`, all or nothing: numbers it (per center and year, under the
    sequence row's lock, so a rolled-back registration gives its number back), finds or creates the
    parties, stores the attachments and tells downstream apps (intake.hooks) inside the transaction."""
    if not actor.has_perm(IntakePermission.ADD_CASE):
        raise PermissionDenied("registering cases needs intake.add_case")
    errors = _Errors()
    received_at = received_at or timezone.now()
    values = {
        "channel": _choice(errors, "channel", channel, Channel, _("来源渠道")),
        "matter_type": _choice(errors, "matter_type", matter_type, MatterType, _("事项性质")),
        "summary": _required_text(errors, "summary", summary, SUMMARY_MAX, _("事项摘要")),
        "description": _required_text(errors, "description", description, DESCRIPTION_MAX, _("详细情况")),
        "amount": _amount(errors, amount),
        "involved_people": _involved_people(errors, involved_people),
        "received_at": _received_at(errors, received_at),
    }
    values["center"] = _center(errors, actor, center)
    values["window"] = _window(errors, window, values["center"])
    values["category"] = _category(errors, category)
    values["region"] = _region(errors, actor, region)
    values["grid_cell"] = _grid_cell(errors, actor, grid_cell, values["region"])
    values["latitude"], values["longitude"] = _coordinates(errors, latitude, longitude)
    specs = _parties(errors, parties, values["matter_type"], values["channel"])
    uploads = _attachments(errors, attachments)
    if errors:
        raise ValidationError(dict(errors))

    stored: list[str] = []
    try:
        with transaction.atomic():
            case = Case.objects.create(
                number=_next_number(values["center"], timezone.localtime(values["received_at"]).year),
                received_by=actor,
                handling_center=values["center"],
                handling_region=values["center"].region,
                **values,
            )
            _link_parties(case, specs)
            for upload, content_type in uploads:
                _attachment_store(case, upload, content_type, actor, stored=stored)
            if idempotency_key:
                IdempotencyRecord.objects.create(
                    user=actor, key=idempotency_key, case=case, fingerprint=idempotency_fingerprint
                )
            hooks.case_registered(case)
    except BaseException:
        _discard_files(case_storage_names=stored)
        raise
    logger.debug("case %s registered at center %s by user %s", case.number, case.center.code, actor.pk)
    return case


def case_register_once(
    *, actor: AbstractBaseUser, key: str, fingerprint: str = "", **fields
) -> tuple[Case, bool]:
    """`case_register` behind an idempotency key: the same user sending the same key gets the first
    case back and nothing new is created (also when both requests run at once: the unique key decides).
    Returns (case, created). The same key with a different request body is a ValidationError."""
    existing = _idempotent_replay(actor, key, fingerprint)
    if existing is not None:
        return existing, False
    try:
        case = case_register(actor=actor, idempotency_key=key, idempotency_fingerprint=fingerprint, **fields)
    except IntegrityError:
        # Another request with this key committed first; its registration is the answer.
        existing = _idempotent_replay(actor, key, fingerprint)
        if existing is None:
            raise
        return existing, False
    return case, True


def _idempotent_replay(actor: AbstractBaseUser, key: str, fingerprint: str) -> Case | None:
    record = IdempotencyRecord.objects.filter(user=actor, key=key).select_related("case").first()
    if record is None:
        return None
    if fingerprint and record.fingerprint and record.fingerprint != fingerprint:
        raise ValidationError(
            {"idempotency_key": [_("该 Idempotency-Key 已用于另一份不同的登记内容，请换用新键")]},
            code="idempotency_key_reused",
        )
    return record.case


def case_invite(*, actor: AbstractBaseUser, case: Case, invitee: AbstractBaseUser) -> None:
    """Lets `invitee` see one case beyond their jurisdiction (e.g. a county department invited onto a
    township case): a django-guardian grant, which the audit trail records. Only someone who sees the
    case and may change cases can invite."""
    if (
        not actor.has_perm("intake.change_case")
        or not case_list_for_user(user=actor).filter(pk=case.pk).exists()
    ):
        raise PermissionDenied("no permission to invite onto this case")
    assign_perm("intake.view_case", invitee, case)


def case_add_repeat_visit(
    *,
    actor: AbstractBaseUser,
    case: Case,
    channel: str,
    note: str,
    received_at: dt.datetime | None = None,
) -> RepeatVisit:
    """Records a later visit about an open case (重复来访) instead of a new registration; the case's
    repeat_count goes up by one in the database (F expression), so concurrent visits all count."""
    if not actor.has_perm(IntakePermission.ADD_REPEAT_VISIT):
        raise PermissionDenied("recording repeat visits needs intake.add_repeatvisit")
    errors = _Errors()
    channel = _choice(errors, "channel", channel, Channel, _("来源渠道"))
    note = _text(note)
    if len(note) > NOTE_MAX:
        errors.add("note", _("来访情况不能超过%(limit)s字") % {"limit": NOTE_MAX})
    if "\x00" in note:
        errors.add("note", _("来访情况含有不允许的控制字符"))
    if not case_list_for_user(user=actor).filter(pk=case.pk).exists():
        errors.add("case", _("该案件不在您的辖区内"))
    elif case.status in FINISHED_STATUSES:
        errors.add("case", _("该案件已办结，请作为新事项登记"))
    if errors:
        raise ValidationError(dict(errors))
    with transaction.atomic():
        visit = RepeatVisit.objects.create(
            case=case,
            channel=channel,
            received_by=actor,
            received_at=received_at or timezone.now(),
            note=note,
        )
        Case.objects.filter(pk=case.pk).update(repeat_count=F("repeat_count") + 1)
        case.refresh_from_db(fields=["repeat_count"])
        hooks.repeat_visit_added(visit)
    return visit


def category_set_active(*, categories: Iterable[Category], active: bool) -> int:
    """Retires (or restores) categories. Retired kinds stay on old cases but new cases cannot use them;
    retiring a class retires the choice of all its kinds."""
    return Category.objects.filter(pk__in=[c.pk for c in categories]).update(is_active=active)


# --- validation helpers: each records its problems under the field's name and returns the clean value.


def _choice(errors: _Errors, field: str, value, choices, label: str) -> str:
    value = _text(value)
    if value not in choices.values:
        allowed = _("、").join(
            _("%(value)s（%(label)s）") % {"value": v, "label": lbl} for v, lbl in choices.choices
        )
        errors.add(
            field,
            _("%(label)s无效：“%(value)s”，可选 %(allowed)s")
            % {"label": label, "value": value or _("（空）"), "allowed": allowed},
        )
    return value


def _required_text(errors: _Errors, field: str, value, limit: int, label: str) -> str:
    value = _text(value)
    if not value:
        errors.add(field, _("请填写%(label)s") % {"label": label})
    elif len(value) > limit:
        errors.add(
            field,
            _("%(label)s不能超过%(limit)s字（现有%(length)s字）")
            % {"label": label, "limit": limit, "length": len(value)},
        )
    if "\x00" in value:
        errors.add(field, _("%(label)s含有不允许的控制字符") % {"label": label})
    return value


def _amount(errors: _Errors, value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors.add("amount", _("涉及金额须为数字"))
        return None
    if amount < 0 or amount >= Decimal("1e12"):
        errors.add("amount", _("涉及金额须在0到1万亿元之间"))
    return amount


def _involved_people(errors: _Errors, value) -> int:
    try:
        count = int(value)
    except (TypeError, ValueError):
        errors.add("involved_people", _("涉及人数须为整数"))
        return 1
    if not 1 <= count <= 1_000_000:
        errors.add("involved_people", _("涉及人数须至少为1"))
    return count


def _received_at(errors: _Errors, value: dt.datetime) -> dt.datetime:
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        errors.add("received_at", _("受理时间须为带时区的日期时间"))
        return timezone.now()
    if value > timezone.now() + FUTURE_TOLERANCE:
        errors.add("received_at", _("受理时间不能晚于当前时间"))
    return value


def _center(errors: _Errors, actor: AbstractBaseUser, center: Center | None) -> Center | None:
    if center is None:
        errors.add("center", _("您的账号未关联综治中心，无法登记"))
        return None
    own = intake_center_for_user(user=actor)
    if not (own and own.pk == center.pk) and not region_in_jurisdiction(user=actor, region=center.region):
        errors.add("center", _("只能在本人所在的综治中心登记"))
    return center


def _window(errors: _Errors, window: Window | None, center: Center | None) -> Window | None:
    if window is not None and center is not None and window.center_id != center.pk:
        errors.add("window", _("受理窗口不属于该中心"))
    return window


def _category(errors: _Errors, value: Category | str) -> Category | None:
    if isinstance(value, Category):
        category = Category.objects.select_related("parent").filter(pk=value.pk).first()
    else:
        code = _text(value)
        category = Category.objects.select_related("parent").filter(code=code).first() if code else None
    if category is None:
        errors.add("category", _("纠纷类别“%(code)s”不存在") % {"code": _text(getattr(value, "code", value))})
    elif category.parent_id is None:
        errors.add("category", _("请选择“%(name)s”下的具体小类") % {"name": category.name})
    elif not (category.is_active and category.parent.is_active):
        errors.add("category", _("纠纷类别“%(name)s”已停用，请选择其他类别") % {"name": category})
    return category


def _region(errors: _Errors, actor: AbstractBaseUser, value: Region | str) -> Region | None:
    if isinstance(value, Region):
        region = value
    else:
        code = _text(value)
        if not (len(code) == 12 and code.isdigit()):
            errors.add("region", _("发生地须为12位统计区划代码"))
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            errors.add("region", _("区划代码 %(code)s 不存在") % {"code": code})
            return None
    if not region_in_jurisdiction(user=actor, region=region):
        errors.add("region", _("发生地“%(name)s”不在您的辖区内") % {"name": region.name})
    return region


def _grid_cell(
    errors: _Errors, actor: AbstractBaseUser, value: GridCell | str | None, region: Region | None
) -> GridCell | None:
    if value in (None, ""):
        return None
    cell = value if isinstance(value, GridCell) else GridCell.objects.filter(code=_text(value)).first()
    if cell is None:
        errors.add("grid_cell", _("网格编码不存在"))
        return None
    cell_region = cell.region
    if not region_in_jurisdiction(user=actor, region=cell_region):
        errors.add("grid_cell", _("该网格不在您的辖区内"))
    elif region is not None and not (
        region.tree_id == cell_region.tree_id
        and region.lft <= cell_region.lft
        and cell_region.rght <= region.rght
    ):
        errors.add("grid_cell", _("网格不在所选发生地范围内"))
    return cell


def _coordinates(errors: _Errors, latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat = Decimal(str(latitude)).quantize(Decimal("0.000001"))
        lon = Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors.add("latitude", _("经纬度须成对填写且为数字"))
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors.add("latitude", _("经纬度超出范围"))
        return None, None
    return lat, lon


def _parties(errors: _Errors, parties: Sequence, matter_type: str, channel: str) -> list[PartySpec]:
    # Matters someone brings in have an applicant to call back; what staff find themselves may not.
    needs_applicant = matter_type == MatterType.DISPUTE and channel not in SELF_FOUND_CHANNELS
    if not isinstance(parties, list | tuple):
        errors.add("parties", _("当事人须为列表"))
        return []
    if len(parties) > MAX_PARTIES:
        errors.add("parties", _("当事人最多%(limit)s个") % {"limit": MAX_PARTIES})
        return []
    specs: list[PartySpec] = []
    seen: dict[tuple[str, str], int] = {}
    for index, raw in enumerate(parties):
        if not isinstance(raw, PartySpec | Mapping):
            errors.add(f"parties[{index}]", _("当事人信息格式不正确"))
            continue
        spec = PartySpec.from_input(raw)
        _party_check(errors, f"parties[{index}]", spec, needs_applicant=needs_applicant)
        key = (spec.id_number, "") if spec.id_number else ("", f"{spec.phone}|{spec.name}")
        if (spec.id_number or spec.phone) and key in seen:
            errors.add(
                f"parties[{index}]",
                _("与第%(position)s位当事人是同一人，请勿重复填写") % {"position": seen[key] + 1},
            )
        seen.setdefault(key, index)
        specs.append(spec)
    if matter_type == MatterType.DISPUTE and not specs:
        errors.add("parties", _("矛盾纠纷至少需要一名当事人"))
    elif needs_applicant and not any(s.role == PartyRole.APPLICANT for s in specs):
        errors.add("parties", _("请至少填写一名申请人"))
    return specs


def _party_check(errors: _Errors, prefix: str, spec: PartySpec, *, needs_applicant: bool) -> None:
    if spec.kind not in PartyKind.values:
        errors.add(f"{prefix}.kind", _("当事人类型须为 person（自然人）或 organisation（组织）"))
    if spec.role not in PartyRole.values:
        errors.add(f"{prefix}.role", _("当事人角色须为 applicant、respondent 或 other"))
    if not spec.name:
        errors.add(f"{prefix}.name", _("请填写当事人姓名或名称"))
    elif len(spec.name) > 100:
        errors.add(f"{prefix}.name", _("姓名或名称不能超过100字"))
    for field, value in (("name", spec.name), ("address", spec.address)):
        if "\x00" in value:
            errors.add(f"{prefix}.{field}", _("含有不允许的控制字符"))
    if len(spec.address) > 200:
        errors.add(f"{prefix}.address", _("住址不能超过200字"))
    if spec.id_number:
        try:
            validate_party_id_number(spec.kind, spec.id_number)
        except ValidationError as error:
            for message in error.messages:
                errors.add(f"{prefix}.id_number", message)
    if spec.phone:
        try:
            validate_phone(spec.phone)
        except ValidationError as error:
            for message in error.messages:
                errors.add(f"{prefix}.phone", message)
    if needs_applicant and spec.role == PartyRole.APPLICANT and not (spec.phone or spec.id_number):
        errors.add(f"{prefix}.phone", _("申请人须留联系电话或身份证号，以便联系回访"))


def _attachments(errors: _Errors, attachments: Iterable[File]) -> list[tuple[File, str]]:
    uploads = [a for a in attachments or () if a]
    if len(uploads) > ATTACHMENT_MAX_COUNT:
        errors.add("attachments", _("附件最多%(limit)s个") % {"limit": ATTACHMENT_MAX_COUNT})
        return []
    checked = []
    for upload in uploads:
        try:
            checked.append((upload, attachment_content_type(upload)))
        except ValidationError as error:
            for message in error.messages:
                errors.add("attachments", message)
    return checked


# --- writing


def _next_number(center: Center, year: int) -> str:
    """The next number of (center, year): the sequence row is locked until the registration commits."""
    sequence, _created = CaseNumberSequence.objects.get_or_create(center=center, year=year)
    sequence = CaseNumberSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{center.code}-{year}-{sequence.last:06d}"


def _link_parties(case: Case, specs: list[PartySpec]) -> None:
    # Rows are found or created in identity order (a consistent lock order), linked in entry order.
    resolved = {spec: _party_resolve(spec) for spec in sorted(set(specs), key=lambda s: s.identity_key)}
    linked: set[int] = set()
    for index, spec in enumerate(specs):
        party = resolved[spec]
        if party.pk in linked:
            raise ValidationError({f"parties[{index}]": [_("同一当事人重复填写")]})
        linked.add(party.pk)
        CaseParty.objects.create(case=case, party=party, role=spec.role)


def _party_resolve(spec: PartySpec) -> Party:
    """The one record of this person or organisation: by ID number, else by phone and name."""
    party = None
    if spec.id_number:
        party = Party.objects.filter(id_number=spec.id_number).first()
        if party is None and spec.phone:
            # Known before by phone only: the ID number completes that record instead of a second one.
            party = (
                Party.objects.filter(id_number="", phone=spec.phone, name=spec.name).order_by("pk").first()
            )
        if party is None:
            party, created = Party.objects.get_or_create(
                id_number=spec.id_number,
                defaults={"kind": spec.kind, "name": spec.name, "phone": spec.phone, "address": spec.address},
            )
            if created:
                return party
    elif spec.phone:
        party = Party.objects.filter(phone=spec.phone, name=spec.name).order_by("pk").first()
    if party is None:
        return Party.objects.create(
            kind=spec.kind, name=spec.name, id_number="", phone=spec.phone, address=spec.address
        )
    if spec.id_number and party.kind == PartyKind.PERSON and party.name != spec.name and party.id_number:
        raise ValidationError({"parties": [_("身份证号与已登记的姓名不一致，请核对证件")]})
    return _party_refresh(party, spec)


def _party_refresh(party: Party, spec: PartySpec) -> Party:
    """The latest contact details win: residents change phones and move house."""
    changed = []
    for field in ("id_number", "phone", "address"):
        value = getattr(spec, field)
        if value and getattr(party, field) != value:
            setattr(party, field, value)
            changed.append(field)
    if changed:
        try:
            with transaction.atomic():
                party.save(update_fields=changed)
        except IntegrityError:
            raise ValidationError({"parties": [_("该身份证号已登记给其他当事人")]}) from None
    return party


def _attachment_store(
    case: Case, upload: File, content_type: str, actor: AbstractBaseUser, *, stored: list[str]
) -> Attachment:
    original = PurePath(upload.name or "file").name[-200:]
    attachment = Attachment(
        case=case, original_name=original, content_type=content_type, size=upload.size, uploaded_by=actor
    )
    # A random stored name: the original (any script, any length) is kept only as data.
    upload.seek(0)
    attachment.file.save(f"{uuid.uuid4().hex}{PurePath(original.lower()).suffix}", upload, save=False)
    stored.append(attachment.file.name)
    attachment.save()
    return attachment


def _discard_files(*, case_storage_names: list[str]) -> None:
    """Removes files stored by a registration that rolled back (storage is not transactional)."""
    if not case_storage_names:
        return
    storage = Attachment._meta.get_field("file").storage
    for name in case_storage_names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("could not delete orphaned attachment %s", name)
