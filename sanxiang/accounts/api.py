"""API of the accounts app: authentication (session and bearer token), agencies, jurisdictions.

Mounted by ``sanxiang.api`` at /api/v1/auth/ (``auth_router``) and /api/v1/accounts/ (``router``).
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from sanxiang.accounts import tokens
from sanxiang.accounts.access import get_for_user, is_active_member, visible_agencies
from sanxiang.accounts.backends import lock_message
from sanxiang.accounts.choices import AgencyKind, JurisdictionLevel, Role
from sanxiang.accounts.models import Agency, ApiToken, Jurisdiction, User
from sanxiang.api_support import READ_ERRORS, ErrorOut, PageParams, page_schema, paginate

# --- authentication -------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <令牌>``; tokens come from POST /api/v1/auth/token."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        found = tokens.token_for_key(token.strip())
        if found is None:
            return None
        request.api_token = found  # type: ignore[attr-defined]  # DELETE /auth/token revokes it
        request.user = found.user
        return found.user


class SessionAuth(APIKeyCookie):
    """The browser's Django session; unsafe methods also need the CSRF token (X-CSRFToken).

    Unlike ninja's ``django_auth`` a request without a session cookie is simply "not signed in"
    (401) rather than a CSRF failure, and users outside any agency are refused like anonymous ones.
    """

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if key and self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, "CSRF 校验失败：修改数据的请求须携带 X-CSRFToken 请求头。")
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if key and is_active_member(user) else None


def current_user(request: HttpRequest) -> User:
    """The user the request was authenticated as (token or session)."""
    return request.auth  # type: ignore[attr-defined,return-value]


# --- schemas ---------------------------------------------------------------------------------


class TokenIn(Schema):
    username: str = Field(..., description="用户名。")
    password: str = Field(..., description="密码。")
    name: str = Field("API", max_length=100, description="令牌用途，便于日后辨认。")


class TokenOut(Schema):
    token: str = Field(
        ..., description="令牌明文，仅此一次返回，请妥善保存。请求时放在 Authorization: Bearer 之后。"
    )
    expires_at: datetime = Field(..., description="过期时间。")


class Ref(Schema):
    id: int
    name: str


class RoleOut(Schema):
    code: str = Field(..., description="角色代码：" + "、".join(f"{v}={lbl}" for v, lbl in Role.choices))
    label: str = Field(..., description="角色名称。")


class MeOut(Schema):
    id: int
    username: str = Field(..., description="用户名。")
    full_name: str = Field(..., description="姓名。")
    agency: Ref = Field(..., description="所属执法主体。")
    roles: list[RoleOut] = Field(..., description="所持角色。")
    auth_method: str = Field(..., description="本次请求的认证方式：token 或 session。")


class AgencyOut(Schema):
    id: int
    name: str = Field(..., title="机关名称", description="执法主体全称。")
    short_name: str = Field(..., title="简称")
    uscc: str = Field(..., title="统一社会信用代码")
    kind: AgencyKind = Field(..., title="主体性质")
    kind_label: str = Field(..., title="主体性质（名称）")
    legal_basis: str = Field(..., title="职权依据")
    jurisdiction: Ref = Field(..., title="管辖区域")
    address: str = Field(..., title="地址")
    phone: str = Field(..., title="联系电话")
    enforcement_kinds: list[str] = Field(..., title="执法类别", description="执法类别代码列表。")
    enforcement_kind_labels: list[str] = Field(..., title="执法类别（名称）")

    @staticmethod
    def resolve_kind_label(obj: Agency) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_enforcement_kind_labels(obj: Agency) -> list[str]:
        return obj.enforcement_kind_labels()


class JurisdictionOut(Schema):
    id: int
    name: str = Field(..., title="名称")
    code: str = Field(..., title="行政区划代码")
    level: JurisdictionLevel = Field(..., title="层级")
    level_label: str = Field(..., title="层级（名称）")
    parent_id: int | None = Field(None, title="上级", description="上级区划的 id；省级为空。")

    @staticmethod
    def resolve_level_label(obj: Jurisdiction) -> str:
        return str(obj.get_level_display())


AgencyPage = page_schema(AgencyOut, "AgencyPage")

# --- /auth/ ------------------------------------------------------------------------------------

auth_router = Router(tags=["认证"])


@auth_router.post("/token", auth=None, response={201: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
                  summary="用用户名和密码换取令牌", operation_id="auth_token_create")
def create_token(request: HttpRequest, payload: TokenIn) -> Status:
    """签发一个有效期 30 天的 Bearer 令牌。

    连续失败达到上限（默认 5 次）后账户锁定，返回 429（与网页登录相同）。
    """
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        # authenticate() hides the backend's AccountLocked; a failure that (now) leaves the
        # account locked is reported as such, like the login page does.
        locked = lock_message(payload.username)
        if locked:
            raise HttpError(429, locked)
        raise HttpError(401, "用户名或密码不正确，或账户已停用。")
    key, token = tokens.issue_token(user, payload.name)
    return Status(201, {"token": key, "expires_at": token.expires_at})


@auth_router.delete("/token", response={204: None, 400: ErrorOut, 401: ErrorOut},
                    summary="吊销当前使用的令牌", operation_id="auth_token_revoke")
def revoke_token(request: HttpRequest) -> Status:
    """吊销本次请求所用的令牌；之后使用该令牌的请求一律返回 401。"""
    token: ApiToken | None = getattr(request, "api_token", None)
    if token is None:
        raise HttpError(400, "本次请求未使用令牌认证，没有可吊销的令牌。")
    tokens.revoke_token(token)
    return Status(204, None)


@auth_router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="当前用户", operation_id="auth_me")
def me(request: HttpRequest) -> dict:
    """当前登录用户、所属机关和角色。"""
    user = current_user(request)
    labels = dict(Role.choices)
    return {
        "id": user.pk, "username": user.username, "full_name": user.full_name, "agency": user.agency,
        "roles": [{"code": r, "label": str(labels[r])} for r in Role.values if r in user.role_codes],
        "auth_method": "token" if getattr(request, "api_token", None) else "session",
    }


# --- /accounts/ --------------------------------------------------------------------------------

router = Router(tags=["机构与区划"])


@router.get("/agencies", response={200: AgencyPage, **READ_ERRORS}, summary="可见的执法主体",
            operation_id="accounts_agencies_list")
def list_agencies(request: HttpRequest, page: Query[PageParams]) -> dict:
    """本机关；监督人员为其辖区内的全部执法主体。"""
    agencies = visible_agencies(current_user(request)).select_related("jurisdiction")
    return paginate(agencies, page)


@router.get("/agencies/{agency_id}", response={200: AgencyOut, **READ_ERRORS}, summary="执法主体详情",
            operation_id="accounts_agencies_detail")
def agency_detail(request: HttpRequest, agency_id: int) -> Agency:
    """不可见的主体返回 404。"""
    return get_for_user(Agency.objects.select_related("jurisdiction"), current_user(request), pk=agency_id)


@router.get("/jurisdictions", response={200: list[JurisdictionOut], **READ_ERRORS}, summary="行政区划",
            operation_id="accounts_jurisdictions_list")
def list_jurisdictions(request: HttpRequest, parent: int | None = None) -> list[Jurisdiction]:
    """全部行政区划（公共基础数据），按树的先序排列；给出 parent 时只列其直接下级。"""
    nodes = Jurisdiction.objects.order_by("path")
    return list(nodes.filter(parent_id=parent) if parent is not None else nodes)
