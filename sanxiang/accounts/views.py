"""Pages for agencies (执法主体) and, for administrators, the users of their own agency.

Access comes from :mod:`sanxiang.accounts.access` (another agency is 404, a visible agency or
user one may not change is 403); user changes go through :mod:`sanxiang.accounts.services`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.accounts import services
from sanxiang.accounts.access import Action, can, get_for_user, restrict, visible_agencies, writable_agency
from sanxiang.accounts.choices import Role
from sanxiang.accounts.forms import AgencyForm, UserCreateForm, UserEditForm
from sanxiang.accounts.models import Agency, User
from sanxiang.ledger.reads import record_supervisory_read
from sanxiang.pages import Cell, field_cell, paginate
from sanxiang.registry import services as registry_services
from sanxiang.registry.forms import add_validation_error

PAGE_SIZE = 50
AGENCY_DETAIL_FIELDS = ["name", "short_name", "uscc", "kind", "jurisdiction", "legal_basis", "address",
                        "phone", "enforcement_kinds"]


# ---------------------------------------------------------------- agencies


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = visible_agencies(request.user).select_related("jurisdiction")
    # Meta.ordering is dropped from GROUP BY queries, so the order is spelled out for paging.
    agencies = agencies.annotate(officer_count=Count("officers")).order_by("jurisdiction__path", "name")
    return render(request, "accounts/agency_list.html", paginate(request, agencies, PAGE_SIZE))


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_for_user(Agency.objects.select_related("jurisdiction"), request.user, pk=pk)
    record_supervisory_read(request.user, agency)
    fields: list[tuple[str, Cell]] = [
        (str(Agency._meta.get_field(name).verbose_name), field_cell(agency, name))
        for name in AGENCY_DETAIL_FIELDS
    ]
    return render(request, "accounts/agency_detail.html", {
        "agency": agency, "fields": fields, "officer_count": agency.officers.count(),
        "can_edit": _may_change(request.user, agency),
    })


def _may_change(user: User, obj: Agency | User) -> bool:
    try:
        get_for_user(type(obj).objects.all(), user, Action.CHANGE, pk=obj.pk)
    except PermissionDenied:
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_for_user(Agency.objects.all(), request.user, Action.CHANGE, pk=pk)
    form = AgencyForm(request.POST or None, instance=agency)
    if request.method == "POST" and form.is_valid():
        try:
            # The generic update service re-checks access under a row lock and runs full_clean.
            registry_services.update_object(request.user, agency, form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "执法主体信息已保存。")
            return HttpResponseRedirect(reverse("accounts:agency_detail", args=[agency.pk]))
    return render(request, "accounts/agency_form.html", {"agency": agency, "form": form})


# ---------------------------------------------------------------- users (administrators)


def _managed_users(user: User) -> QuerySet[User]:
    """Users ``user`` administers (their own agency's); 403 for anyone who administers none."""
    if not can(user, Action.CHANGE, User):
        raise PermissionDenied("只有系统管理员可以管理用户")
    return restrict(User.objects.all(), user, Action.CHANGE)


def _role_labels(user: User) -> list[str]:
    held = {grant.role for grant in user.role_grants.all()}  # prefetched by the list
    return [str(label) for value, label in Role.choices if value in held]


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = _managed_users(request.user).prefetch_related("role_grants")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    context = paginate(request, users, PAGE_SIZE)
    context["rows"] = [(u, _role_labels(u)) for u in context["page"]]
    context["q"] = q
    return render(request, "accounts/user_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _managed_users(request.user)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_user(
                actor=request.user, agency=writable_agency(request.user), username=data["username"],
                password=data["password1"], full_name=data["full_name"], roles=data["roles"],
                email=data["email"],
            )
        except ValidationError as error:  # the password policy
            form.add_error("password1", error)
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"用户“{created.username}”已创建。")
            return HttpResponseRedirect(reverse("accounts:user_list"))
    return render(request, "accounts/user_form.html", {"form": form, "target": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_for_user(User.objects.all(), request.user, Action.CHANGE, pk=pk)
    initial = {"full_name": target.full_name, "email": target.email, "is_active": target.is_active,
               "roles": sorted(target.role_codes)}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_user(actor=request.user, user=target, full_name=data["full_name"],
                                 email=data["email"], is_active=data["is_active"], roles=data["roles"])
        except services.ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"用户“{target.username}”已保存。")
            return HttpResponseRedirect(reverse("accounts:user_list"))
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_for_user(User.objects.all(), request.user, Action.CHANGE, pk=pk)
    services.unlock_user(actor=request.user, user=target)
    messages.success(request, f"用户“{target.username}”已解除锁定。")
    return HttpResponseRedirect(reverse("accounts:user_edit", args=[target.pk]))
