"""The API at /api/v1/: one NinjaAPI, routers added by each app's api.py.

Every operation requires a signed-in user of an agency, by bearer token (``Authorization: Bearer``,
from POST /api/v1/auth/token) or by the browser session (unsafe methods also need X-CSRFToken).
Errors are JSON ``{"detail": "<中文说明>"}``; validation errors add ``errors`` by field.
"""

import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.renderers import JSONRenderer

from sanxiang.accounts.api import SessionAuth, TokenAuth
from sanxiang.accounts.api import auth_router as accounts_auth_router
from sanxiang.accounts.api import router as accounts_router
from sanxiang.accounts.services import ServiceError
from sanxiang.cases.api import router as cases_router
from sanxiang.disclosure.api import router as disclosure_router
from sanxiang.evidence.api import router as evidence_router
from sanxiang.evidence.uploads import OffsetConflict
from sanxiang.inspections.api import router as inspections_router
from sanxiang.ledger.api import router as ledger_router
from sanxiang.registry.api import router as registry_router
from sanxiang.review.api import router as review_router
from sanxiang.review.services import ReviewConflict


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON without \\u escapes, so Chinese stays readable in logs, curl and the docs page."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="Sanxiang API",
    version="1",
    description=(
        "三项制度执法平台接口。权限与网页相同：只能访问本机关（监督人员：本辖区）的数据。\n\n"
        "认证：先以 POST /api/v1/auth/token 换取令牌，再在请求头中携带 `Authorization: Bearer <令牌>`；"
        "浏览器中也可直接使用登录会话（修改数据时须带 X-CSRFToken 请求头）。"
    ),
    urls_namespace="api",
    renderer=ChineseJSONRenderer(),
    auth=[TokenAuth(), SessionAuth()],
    # "ninja" is in INSTALLED_APPS, so Swagger UI is rendered from ninja's bundled static files
    # (served by WhiteNoise), never from a CDN: the platform must work on an isolated network.
    docs=Swagger(settings={"persistAuthorization": False}),
)
api.add_router("/auth/", accounts_auth_router)
api.add_router("/accounts/", accounts_router)
api.add_router("/registry/", registry_router)
api.add_router("/ledger/", ledger_router)
api.add_router("/cases/", cases_router)
api.add_router("/evidence/", evidence_router)
api.add_router("/reviews/", review_router)
api.add_router("/inspections/", inspections_router)
api.add_router("/public/", disclosure_router)  # anonymous open data (auth=None on the router)


# --- errors: always JSON with a Chinese ``detail`` ---------------------------------------------

STATUS_MESSAGES = {
    400: "请求格式不正确",
    401: "未登录或登录凭据无效：请使用 Bearer 令牌或登录会话",
    403: "无权执行该操作",
    404: "对象不存在或无权查看",
    405: "不支持该请求方法",
    409: "数据冲突，请刷新后重试",
    429: "请求过于频繁，请稍后再试",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _chinese(message: str, status: int) -> str:
    """``message`` if it is already Chinese (ours), else the generic Chinese text for ``status``."""
    return message if _CJK.search(message or "") else STATUS_MESSAGES.get(status, "请求失败")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": STATUS_MESSAGES[401]}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="sanxiang"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": _chinese(exc.message, exc.status_code)},
                               status=exc.status_code)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": _chinese(str(exc), 403)}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": _chinese(str(exc), 404)}, status=404)


@api.exception_handler(ValidationError)
def on_invalid_data(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return api.create_response(request, {"detail": "提交的数据未通过校验", "errors": errors}, status=422)


@api.exception_handler(OffsetConflict)
def on_offset_conflict(request: HttpRequest, exc: OffsetConflict) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "received": exc.received}, status=409)


@api.exception_handler(ReviewConflict)
def on_review_conflict(request: HttpRequest, exc: ReviewConflict) -> HttpResponse:
    # Someone else handled the submission first (or it already has its opinion): a lost race.
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(ServiceError)
def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "errors": {NON_FIELD_ERRORS: [str(exc)]}},
                               status=422)


@api.exception_handler(IntegrityError)
def on_conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Validation catches duplicates first; this is the race where two requests save at once.
    return api.create_response(request, {"detail": STATUS_MESSAGES[409]}, status=409)


@api.exception_handler(RequestValidationError)
def on_bad_request(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_error_field(error.get("loc", ())), []).append(_error_message(error))
    return api.create_response(request, {"detail": "请求参数不正确", "errors": errors}, status=422)


_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file", "payload", "filters", "page"}


def _error_field(loc: tuple | list) -> str:
    """The field a pydantic error is about: the last name in ``loc`` that is not a location."""
    names = [str(part) for part in loc if isinstance(part, str) and part not in _LOCATIONS]
    return names[-1] if names else NON_FIELD_ERRORS


PYDANTIC_MESSAGES = {
    "missing": "此字段为必填项",
    "extra_forbidden": "不支持该字段（例如所属机关由系统确定，不能指定）",
    "string_type": "应为字符串",
    "string_too_long": "长度不能超过{max_length}个字符",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为布尔值（true 或 false）",
    "bool_parsing": "应为布尔值（true 或 false）",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期格式应为 YYYY-MM-DD",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "greater_than_equal": "不能小于{ge}",
    "less_than_equal": "不能大于{le}",
    "list_type": "应为列表",
    "enum": "取值无效，可选值：{expected}",
    "literal_error": "取值无效，可选值：{expected}",
    "json_invalid": "JSON 格式不正确",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
}


def _error_message(error: dict[str, Any]) -> str:
    template = PYDANTIC_MESSAGES.get(error.get("type", ""), "取值无效")
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：，")


# --- introspection -----------------------------------------------------------------------------


def api_endpoints() -> list[tuple[str, str]]:
    """Every operation of the API as ``(METHOD, path)``, e.g. ``("GET", "/api/v1/registry/officers/")``.

    Paths keep their ``{param}`` placeholders; read from the OpenAPI schema so the list is exactly
    what clients see.
    """
    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    )
