"""Parties' ID numbers and phones, masked unless the viewer may see them in full; every full showing is
logged as an IdentityView (who, which party, when, from which IP, on which page).

Every page, API and export that shows a party goes through `party_identity_for` / `party_identities_for`
(templates: `{% load intake %}{% party_identity party case=case as who %}`), so there is one rule.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from intake.models import Case, IdentityView, Party
from intake.permissions import IntakePermission

User = AbstractBaseUser | AnonymousUser


def mask_id_number(value: str) -> str:
    """`220102199001011234` → `2201**********1234`: region of issue and last four kept."""
    value = value or ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_phone(value: str) -> str:
    """`13812345678` → `138****5678`; landlines keep the first three and last four characters."""
    value = value or ""
    if len(value) == 11 and value.isdigit():
        return f"{value[:3]}****{value[-4:]}"
    if len(value) <= 7:
        return "*" * max(len(value) - 2, 0) + value[-2:] if value else ""
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def can_view_full_identity(user: User) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(IntakePermission.VIEW_FULL_IDENTITY))


@dataclass(frozen=True)
class PartyIdentity:
    """What a viewer may read about a party; `full` says whether the values are unmasked."""

    party_id: int
    kind: str
    name: str
    id_number: str
    phone: str
    full: bool

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "name": self.name,
            "id_number": self.id_number,
            "phone": self.phone,
            "masked": not self.full,
        }


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: a client can forge X-Forwarded-For, and an audit trail must not be forgeable.
    return (request.META.get("REMOTE_ADDR") or None) if request is not None else None


def party_identity_for(
    user: User,
    party: Party,
    *,
    request: HttpRequest | None = None,
    case: Case | None = None,
    context: str = "",
) -> PartyIdentity:
    """One party as `user` may see it; logs an IdentityView when shown in full."""
    return party_identities_for(user, [party], request=request, case=case, context=context)[party.pk]


def party_identities_for(
    user: User,
    parties: Iterable[Party],
    *,
    request: HttpRequest | None = None,
    case: Case | None = None,
    cases: dict[int, Case] | None = None,
    context: str = "",
) -> dict[int, PartyIdentity]:
    """Several parties at once (a list page, an export): masked, or full with one log row each, written
    in a single insert. `cases` maps party id → the case it was shown under, when they differ."""
    full = can_view_full_identity(user)
    result: dict[int, PartyIdentity] = {}
    for party in parties:
        if party.pk in result:
            continue
        result[party.pk] = PartyIdentity(
            party_id=party.pk,
            kind=party.kind,
            name=party.name,
            id_number=party.id_number if full else mask_id_number(party.id_number),
            phone=party.phone if full else mask_phone(party.phone),
            full=full,
        )
    if full and result:
        ip = client_ip(request)
        IdentityView.objects.bulk_create(
            IdentityView(
                user=user,
                party_id=party_id,
                case=(cases or {}).get(party_id, case),
                ip_address=ip,
                context=context[:60],
            )
            for party_id in result
        )
    return result
