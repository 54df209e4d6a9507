"""Template helpers for any app that shows a party: `{% load intake %}`.

    {% party_identity party case=case as who %}{{ who.name }} {{ who.phone }} {{ who.id_number }}

shows masked values unless the signed-in user may see them in full (then the view is logged).
`|mask_phone` and `|mask_id_number` mask a bare value.
"""

from django import template

from intake import masking
from intake.masking import PartyIdentity
from intake.models import Case, Party

register = template.Library()


@register.simple_tag(takes_context=True)
def party_identity(context, party: Party, case: Case | None = None, where: str = "") -> PartyIdentity:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return masking.party_identity_for(
        user, party, request=request, case=case, context=where or _page_name(request)
    )


def _page_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return f"page.{match.view_name}" if match else "page"


@register.filter
def mask_phone(value: str) -> str:
    return masking.mask_phone(value or "")


@register.filter
def mask_id_number(value: str) -> str:
    return masking.mask_id_number(value or "")
