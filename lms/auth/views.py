"""Registration, login (and where each role lands), logout, the account page, password reset."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from lms.auth.forms import (
    AccountDetailsForm,
    ChangePasswordForm,
    LoginForm,
    LogoutForm,
    NameCorrectionForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from lms.domain.roles import ADMIN, REVIEWER, TRAINER
from lms.extensions import db, limiter
from lms.i18n import LANGUAGES
from lms.models import User
from lms.security import is_safe_next
from lms.services.accounts import login_throttle, profile, self_service
from lms.services.accounts import users as accounts
from lms.services.learning import enrolment as enrolments

bp = Blueprint("auth", __name__, url_prefix="/account")

DEVICE_COOKIE = "lms_login_device"
DEVICE_COOKIE_MAX_AGE = 180 * 86400

# Where a role lands after login, most staff-like first: a person with several roles lands
# on the first page their roles give them (admin > reviewer > trainer > trainee).
LANDINGS: tuple[tuple[str, str], ...] = (
    (ADMIN, "admin.users"),
    (REVIEWER, "registry.index"),
    (TRAINER, "trainer.home"),
)


def landing_url(user: User, next_page: str | None = None) -> str:
    """A safe `next` if there is one, else the home of the user's most staff-like role."""
    if is_safe_next(next_page):
        return str(next_page)
    for role, endpoint in LANDINGS:
        if user.has_role(role):
            return url_for(endpoint)
    return url_for("learn.dashboard")


def _welcome_landing(user: User) -> str:
    """After choosing a password from a mailed link: a trainee's (newest) course, else home."""
    if not user.has_role(*(role for role, _ in LANDINGS)):
        places = [p for p in enrolments.learning_places(user) if p.enrolment.state == "active"]
        if places:
            return url_for("learn.course", slug=places[-1].course.slug)
    return landing_url(user)


def _login_failed(response: Response) -> bool:
    # Only failed attempts count towards the throttle; a successful login redirects.
    return response.status_code != 302


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm(locale=str(get_locale()))
    if form.validate_on_submit():
        try:
            self_service.register(
                accounts.NewAccount(
                    email=form.email.data or "",
                    name=form.name.data or "",
                    password=form.password.data or "",
                    locale=form.locale.data or "mn",
                    region=form.region.data or "",
                    organisation=form.organisation.data or "",
                    national_id=form.national_id.data or "",
                )
            )
        except accounts.DuplicateNationalId:
            db.session.rollback()
            form.national_id.errors.append(
                _(
                    "An account cannot be created with these details. If you already have "
                    "an account, log in or reset your password; otherwise ask your trainer."
                )
            )
        except accounts.AccountError:
            db.session.rollback()
            form.national_id.errors.append(_("Check the national registration number."))
        else:
            # The same answer whether the address was new or already had an account (its owner
            # got a mail instead): registration never tells who has an account.
            flash(
                _(
                    "Thank you. We have sent a message to this address with what to do next. "
                    "If you have just created your account, you can log in now."
                ),
                "success",
            )
            return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LMS_LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_login_failed,
)
def login() -> ResponseReturnValue:
    next_page = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(landing_url(current_user, next_page))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data or ""
        outcome = self_service.log_in(
            email, form.password.data or "", request.cookies.get(DEVICE_COOKIE)
        )
        if outcome.retry_after:
            return _throttled(form, outcome.retry_after)
        user = outcome.user
        if user is not None:
            login_user(user)
            _keep_language(user)
            response = redirect(landing_url(user, next_page))
            _remember_device(response, email)
            return response
        if outcome.disabled:
            form.password.errors.append(
                _("This account has been disabled. Ask an administrator to enable it again.")
            )
        else:
            form.password.errors.append(_("Wrong email or password."))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


def _keep_language(user: User) -> None:
    """A language picked before logging in wins over the saved one, and is saved."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        profile.set_language(user, str(chosen))
    else:
        session["lang"] = user.locale


def _throttled(form: LoginForm, retry_after: int) -> ResponseReturnValue:
    minutes = max(1, -(-retry_after // 60))
    form.password.errors.append(
        ngettext(
            "Too many failed attempts for this account. Try again in %(num)d minute, "
            "or reset your password.",
            "Too many failed attempts for this account. Try again in %(num)d minutes, "
            "or reset your password.",
            minutes,
        )
    )
    response = make_response(render_template("auth/login.html", form=form), 429)
    response.headers["Retry-After"] = str(retry_after)
    return response


def _remember_device(response: Response, email: str) -> None:
    """This browser has proved it knows the password: its own attempts count apart."""
    response.set_cookie(
        DEVICE_COOKIE,
        login_throttle.device_token(email),
        max_age=DEVICE_COOKIE_MAX_AGE,
        path=url_for("auth.login"),
        secure=bool(current_app.config["LMS_FORCE_SECURE_COOKIES"] or request.is_secure),
        httponly=True,
        samesite="Lax",
    )


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    form = LogoutForm()
    if form.validate_on_submit():
        accounts.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        language = session.get("lang")
        session.clear()
        if language:
            session["lang"] = language  # the interface stays in the language they chose
        flash(_("You have logged out."), "info")
    return redirect(url_for("main.index"))


def _account_page(
    details: AccountDetailsForm | None = None,
    password: ChangePasswordForm | None = None,
    correction: NameCorrectionForm | None = None,
) -> ResponseReturnValue:
    """The account page with its three forms; 400 when the one submitted has errors."""
    user = current_user._get_current_object()
    if details is None:
        details = AccountDetailsForm(
            obj=user, formdata=None, prefix="details", locale=str(get_locale())
        )
    password = password or ChangePasswordForm(formdata=None)
    correction = correction or NameCorrectionForm(formdata=None, prefix="correction")
    failed = any(form.errors for form in (details, password, correction))
    page = render_template(
        "auth/account.html",
        details_form=details,
        form=password,
        correction_form=correction,
        credentials=profile.current_credentials(user),
        other_name=profile.credentials_with_another_name(user),
    )
    return page, 400 if failed else 200


@bp.route("/", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    """GET: the page. POST: change the password (the details and the name correction post to
    their own addresses)."""
    if request.method == "GET":
        return _account_page()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not accounts.check_password(current_user, form.current_password.data or ""):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            user = current_user._get_current_object()
            accounts.set_password(user, form.new_password.data or "")
            db.session.commit()
            login_user(user)  # this session stays; every other one ends
            flash(_("Your password has been changed. Other sessions were logged out."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(password=form)


@bp.post("/details")
@login_required
def update_details() -> ResponseReturnValue:
    form = AccountDetailsForm(prefix="details", locale=str(get_locale()))
    if not form.validate_on_submit():
        return _account_page(details=form)
    user = current_user._get_current_object()
    changed = profile.update_details(
        user,
        profile.AccountDetails(
            name=form.name.data or "",
            region=form.region.data or "",
            organisation=form.organisation.data or "",
            phone=form.phone.data or "",
            locale=form.locale.data or "mn",
        ),
    )
    if "locale" in changed:
        session["lang"] = user.locale  # the page now speaks the language just chosen
    if not changed:
        flash(_("Nothing to save: your details were already these."), "info")
    elif "name" in changed and profile.credentials_with_another_name(user):
        flash(
            _(
                "Your details are saved. Your credentials still show the name they were issued"
                " with: ask for corrected ones below."
            ),
            "success",
        )
    else:
        flash(_("Your details are saved."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/name-correction")
@login_required
def request_name_correction() -> ResponseReturnValue:
    form = NameCorrectionForm(prefix="correction")
    if not form.validate_on_submit():
        return _account_page(correction=form)
    user = current_user._get_current_object()
    if not profile.credentials_with_another_name(user):
        flash(_("Your credentials already carry the name on your account."), "info")
    elif profile.request_name_correction(user, form.note.data or ""):
        flash(
            _(
                "Your request was sent to the administrators. They will issue corrected"
                " credentials; the old ones stay valid until then."
            ),
            "success",
        )
    else:
        flash(_("You have already asked for credentials under this name."), "info")
    return redirect(url_for("auth.account"))


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        self_service.request_reset(form.email.data or "")
        # The same answer, and the same work, whether or not the address is known.
        flash(_("If this address has an account, a reset link is on its way."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    user = accounts.user_for_reset_token(token)
    if user is None:
        flash(_("This reset link is invalid or has expired. Ask for a new one."), "error")
        return redirect(url_for("auth.reset_request"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.new_password.data or "")
        self_service.password_was_reset(user)
        # The link proved the mailbox: the person is signed in, not sent to log in again.
        login_user(user)
        _keep_language(user)
        flash(_("Your password is set. You are logged in."), "success")
        return redirect(_welcome_landing(user))
    return render_template("auth/reset_password.html", form=form)


# The notification choices page registers its route on this blueprint.
from lms.auth import notification_views  # noqa: E402, F401
