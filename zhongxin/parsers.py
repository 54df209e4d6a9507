"""Request bodies the API accepts: JSON no larger than API_MAX_BODY_BYTES and nested no deeper than
API_MAX_JSON_DEPTH, so a hostile body is a 400/413 in the API's error shape ({"code", "detail"}) instead of
a RecursionError (500) in the decoder or Django's HTML page for an oversized body."""

import json
import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import parsers, status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.utils.json import strict_constant

# A backslash escape inside a string, then a whole string once escapes are gone: what is left of a JSON
# text is its structure, whose brackets give the depth (both patterns are linear, no backtracking).
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_BRACKET = re.compile(r"[\[\]{}]")


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(_("请求体超过 %(limit)s 字节的上限。") % {"limit": limit})


def parse_error(detail: str, code: str) -> ParseError:
    return ParseError(detail, code=code)


def json_depth(text: str, limit: int) -> int:
    """How deep the arrays and objects of `text` nest, counting stops once past `limit` (the caller
    refuses the text then). Iterative: it never recurses, whatever the nesting."""
    structure = _STRING.sub("", _ESCAPE.sub("", text))
    depth = deepest = 0
    for match in _BRACKET.finditer(structure):
        depth += 1 if match[0] in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                break
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a size and a depth limit checked before decoding."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        max_depth = settings.API_MAX_JSON_DEPTH
        encoding = parsers.get_encoding(parser_context or {})
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise PayloadTooLarge(limit)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise parse_error(
                _("请求体不是有效的 %(encoding)s 文本。") % {"encoding": encoding}, "parse_error"
            ) from None
        if json_depth(text, max_depth) > max_depth:
            raise parse_error(_("JSON 嵌套超过 %(depth)s 层。") % {"depth": max_depth}, "json_too_deep")
        try:
            # NaN and Infinity are not JSON: refused as DRF's strict parser does.
            return json.loads(text, parse_constant=strict_constant)
        except ValueError as error:
            raise parse_error(_("JSON 格式错误：%(error)s") % {"error": error}, "parse_error") from None
