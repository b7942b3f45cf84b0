"""Registration, login, logout, password change and reset."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from lms.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    LogoutForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from lms.extensions import db, limiter
from lms.security import is_safe_next
from lms.services import audit
from lms.services.accounts import users as accounts
from lms.services.mail import send_mail

bp = Blueprint("auth", __name__, url_prefix="/account")


def _login_failed(response: Response) -> bool:
    # Only failed attempts count towards the throttle; a successful login redirects.
    return response.status_code != 302


def _account_key() -> str:
    return "login-account:" + accounts.normalise_email(request.form.get("email", ""))


@bp.route("/register", methods=["GET", "POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm(locale=str(get_locale()))
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
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
        except accounts.AccountError:
            db.session.rollback()
            form.email.errors.append(_("An account with this email already exists."))
        else:
            db.session.commit()
            session["lang"] = user.locale
            login_user(user)
            flash(_("Welcome! Your account has been created."), "success")
            return redirect(url_for("main.index"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LMS_LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_login_failed,
)
@limiter.limit(
    lambda: current_app.config["LMS_LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_login_failed,
)
def login() -> ResponseReturnValue:
    next_page = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(next_page if is_safe_next(next_page) else url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            session["lang"] = user.locale
            return redirect(next_page if is_safe_next(next_page) else url_for("main.index"))
        form.password.errors.append(_("Wrong email or password."))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


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


@bp.route("/", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
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
    status = 400 if form.errors else 200
    return render_template("auth/account.html", form=form), status


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_request() -> ResponseReturnValue:
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = accounts.find_by_email(form.email.data or "")
        if user is not None and user.active:
            link = url_for(
                "auth.reset_password", token=accounts.make_reset_token(user), _external=True
            )
            send_mail(
                user.email,
                _("Reset your password"),
                _("Open this link within an hour to choose a new password:\n%(link)s", link=link),
            )
            audit.record(user, "account.reset_requested", "user", user.id)
            db.session.commit()
        # The same answer whether or not the address is known: no account discovery.
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
        audit.record(user, "account.password_reset", "user", user.id)
        db.session.commit()
        flash(_("Your password has been changed. You can log in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
