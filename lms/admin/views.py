"""The administrators' pages: users and their roles, credentials."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from lms.admin.forms import (
    ROLE_LABELS,
    AccountActionForm,
    CourseTrainersForm,
    CredentialStatusForm,
    NameForm,
    RolesForm,
)
from lms.domain.credentials import IllegalTransition
from lms.domain.registry.decisions import Proposal, needs_two_people
from lms.domain.roles import ADMIN, TRAINER
from lms.extensions import db
from lms.models import Course, Credential, User
from lms.permissions import require_role
from lms.services import clock
from lms.services.accounts import staff
from lms.services.accounts import users as accounts
from lms.services.cohorts import course_trainers
from lms.services.courses.store import latest_version
from lms.services.credentials import issuing as credentials
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.registry import decisions as registry_decisions
from lms.services.renewal import standing
from lms.web.credential_display import public_facts
from lms.web.decision_messages import refusal_message

bp = Blueprint("admin", __name__, url_prefix="/admin")

PAGE_SIZE = 50


@bp.get("/users")
@require_role(ADMIN)
def users() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    role = role if role in ROLE_LABELS else ""
    page = db.paginate(staff.search(query, role), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "admin/users.html", page=page, query=query, role=role, role_labels=ROLE_LABELS
    )


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require_role(ADMIN)
def user_roles(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id) or abort(404)
    form = RolesForm(roles=sorted(user.role_names))
    if form.validate_on_submit():
        wanted = set(form.roles.data or [])
        try:
            for role in sorted(wanted - user.role_names):
                accounts.grant_role(user, role, actor=current_user)
            for role in sorted(user.role_names - wanted):
                accounts.revoke_role(user, role, actor=current_user)
        except accounts.AccountError:
            db.session.rollback()
            flash(_("The last administrator cannot lose the administrator role."), "error")
        else:
            db.session.commit()
            flash(_("Roles saved for %(name)s.", name=user.name), "success")
        return redirect(url_for("admin.user_roles", user_id=user.id))
    return _user_page(user, form)


def _user_page(
    user: User, form: RolesForm | None = None, name_form: NameForm | None = None
) -> ResponseReturnValue:
    return render_template(
        "admin/user_roles.html",
        user=user,
        form=form or RolesForm(roles=sorted(user.role_names)),
        courses_form=_courses_form(user),
        name_form=name_form or NameForm(prefix="name", name=user.name),
        action_form=AccountActionForm(),
        credentials=staff.credentials_of(user),
    ), 400 if name_form is not None and name_form.errors else 200


@bp.post("/users/<int:user_id>/name")
@require_role(ADMIN)
def rename_user(user_id: int) -> ResponseReturnValue:
    """Correct the account's name (audited); issued credentials keep the name they carry."""
    user = db.session.get(User, user_id) or abort(404)
    form = NameForm(prefix="name")
    if not form.validate_on_submit():
        return _user_page(user, name_form=form)
    if staff.correct_name(user, form.name.data or "", current_user):
        flash(_("Name corrected to %(name)s.", name=user.name), "success")
    return redirect(url_for("admin.user_roles", user_id=user.id))


@bp.post("/users/<int:user_id>/disable")
@require_role(ADMIN)
def disable_user(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/enable")
@require_role(ADMIN)
def enable_user(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool) -> ResponseReturnValue:
    user = db.session.get(User, user_id) or abort(404)
    if not AccountActionForm().validate_on_submit():
        abort(400)
    try:
        staff.set_active(user, active, current_user)
    except staff.CannotDisableSelf:
        flash(_("You cannot disable your own account."), "error")
    else:
        if active:
            flash(_("The account of %(name)s is enabled.", name=user.name), "success")
        else:
            flash(
                _(
                    "The account of %(name)s is disabled and every session of it has ended.",
                    name=user.name,
                ),
                "success",
            )
    return redirect(url_for("admin.user_roles", user_id=user.id))


@bp.post("/users/<int:user_id>/welcome")
@require_role(ADMIN)
def send_welcome(user_id: int) -> ResponseReturnValue:
    """Mail a fresh set-your-password link (at most one per person every few minutes)."""
    user = db.session.get(User, user_id) or abort(404)
    if not AccountActionForm().validate_on_submit():
        abort(400)
    try:
        staff.send_welcome(user, current_user)
    except staff.WelcomeTooSoon:
        flash(
            _("A welcome link was sent to this person a few minutes ago. Try again later."),
            "error",
        )
    except accounts.AccountError:
        flash(_("Enable the account before sending it a welcome link."), "error")
    else:
        flash(_("A welcome link is on its way to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.user_roles", user_id=user.id))


def _courses_form(user: User) -> CourseTrainersForm:
    assigned = [course.id for course in course_trainers.assigned_courses(user)]
    form = CourseTrainersForm(prefix="courses", courses=assigned)
    form.courses.choices = [
        (course.id, _course_label(course)) for course in course_trainers.all_courses()
    ]
    return form


def _course_label(course: Course) -> str:
    version = latest_version(course)
    titles = (version.meta.get("title") if version else None) or {}
    title = titles.get(str(get_locale())) or next(iter(titles.values()), "")
    return f"{title} ({course.slug})" if title else course.slug


@bp.post("/users/<int:user_id>/courses")
@require_role(ADMIN)
def user_courses(user_id: int) -> ResponseReturnValue:
    """Assign the trainer to courses: they follow those courses' enrolments outside cohorts."""
    user = db.session.get(User, user_id) or abort(404)
    form = _courses_form(user)
    if not user.has_role(TRAINER):
        flash(_("Only trainers can be assigned to courses."), "error")
    elif form.validate_on_submit():
        added, removed = course_trainers.set_courses(
            user, set(form.courses.data or []), current_user
        )
        flash(
            _(
                "Courses saved for %(name)s: %(added)s assigned, %(removed)s removed.",
                name=user.name,
                added=added,
                removed=removed,
            ),
            "success",
        )
    else:
        flash(_("Choose courses from the list."), "error")
    return redirect(url_for("admin.user_roles", user_id=user.id, _anchor="courses"))


@bp.route("/credentials/<number>", methods=["GET", "POST"])
@require_role(ADMIN)
def credential(number: str) -> ResponseReturnValue:
    found = credentials.find(number) or abort(404)
    form = CredentialStatusForm()
    if form.validate_on_submit():
        action = form.action.data or ""
        if needs_two_people(found.qualifies_for_subsidy, action):
            return _propose(found, action, form.reason.data or "", form.note.data or "")
        try:
            if action in ("renewal", "correction"):
                rules = standing.rules_for(found) if action == "renewal" else None
                new = credential_lifecycle.supersede(
                    found, current_user, action, form.note.data or "", rules=rules
                )
                flash(_("New credential %(number)s issued.", number=new.number), "success")
                return redirect(url_for("admin.credential", number=new.number))
            credential_lifecycle.change_status(
                found, action, current_user, form.reason.data or "", form.note.data or ""
            )
        except credential_lifecycle.RenewalRefused as refused:
            if refused.opens and refused.closes:
                flash(
                    _(
                        "This credential can be renewed from %(opens)s to %(closes)s.",
                        opens=refused.opens.isoformat(),
                        closes=refused.closes.isoformat(),
                    ),
                    "error",
                )
            else:
                flash(_("This credential does not expire: there is nothing to renew."), "error")
        except IllegalTransition:
            flash(_("This change is not possible from the credential's current status."), "error")
        else:
            flash(_("Status changed."), "success")
        return redirect(url_for("admin.credential", number=found.number))
    return render_template(
        "admin/credential.html",
        credential=found,
        facts=public_facts(found, clock.today()),
        form=form,
        open_proposal=registry_decisions.open_proposal(found),
    )


def _propose(found: Credential, action: str, reason: str, note: str) -> ResponseReturnValue:
    """Subsidy-qualifying credentials follow the registry's two-person rule, here too: the
    administrator's change becomes a proposal that someone else must confirm."""
    try:
        registry_decisions.propose(found, current_user, Proposal(action, reason, note))
    except registry_decisions.DecisionRefused as refused:
        flash(refusal_message(refused.code), "error")
    else:
        flash(
            _(
                "This credential qualifies for the subsidy, so the change is saved as a "
                "proposal: a different reviewer or administrator must confirm it in the registry."
            ),
            "success",
        )
    return redirect(url_for("admin.credential", number=found.number))


# Pre-approved continuing-education providers (registered on `bp`).
from lms.admin import ce_views  # noqa: E402,F401
