"""The trainee's own account: details, name corrections, where login lands, the login
language, and a welcome link that signs the person in."""

from __future__ import annotations

import pytest

from lms.models import AuditEvent, Notification, User
from lms.services.accounts import users as accounts
from lms.services.learning import enrolment as enrolments
from tests.factories import DEFAULT_PASSWORD, issue_demo_credential, make_user, publish_demo_course

DETAILS = {
    "details-name": "Болормаа Сүхбат",
    "details-region": "khovd",
    "details-organisation": "Ховдын ТББ",
    "details-phone": "+976 9911 2233",
    "details-locale": "en",
}


def _log_in(client, email, next_url=None):
    return client.post(
        "/account/login",
        query_string={"next": next_url} if next_url else None,
        data={"email": email, "password": DEFAULT_PASSWORD},
    )


@pytest.mark.parametrize(
    ("roles", "landing"),
    [
        (("trainee",), "/my"),
        (("trainer",), "/trainer/"),
        (("reviewer",), "/registry/"),
        (("admin",), "/admin/users"),
        (("trainee", "trainer"), "/trainer/"),
        (("trainer", "reviewer"), "/registry/"),
        (("trainee", "reviewer", "admin"), "/admin/users"),
    ],
)
def test_each_role_lands_on_its_own_home(client, db, roles, landing):
    make_user(roles=roles, email="person@example.mn")
    response = _log_in(client, "person@example.mn")
    assert response.status_code == 302
    assert response.headers["Location"] == landing
    # Already signed in: the login page sends them to the same place.
    assert client.get("/account/login").headers["Location"] == landing


def test_a_safe_next_wins_over_the_landing(client, db):
    make_user(roles=("admin",), email="admin@example.mn")
    response = _log_in(client, "admin@example.mn", next_url="/courses")
    assert response.headers["Location"] == "/courses"


def test_the_language_chosen_on_the_login_page_is_kept_and_saved(client, db):
    user = make_user(email="coach@example.mn", locale="mn")
    client.post("/language", data={"lang": "en", "next": "/account/login"})
    _log_in(client, "coach@example.mn")
    page = client.get("/my")
    assert '<html lang="en">' in page.text
    assert db.session.get(User, user.id).locale == "en"


def test_without_a_choice_the_saved_language_is_used(client, db):
    make_user(email="coach@example.mn", locale="en")
    _log_in(client, "coach@example.mn")
    assert '<html lang="en">' in client.get("/my").text


def test_a_welcome_link_signs_in_and_lands_on_the_course(client, db, tmp_path):
    course = publish_demo_course(tmp_path)
    user = make_user(email="new@example.mn")
    enrolments.enrol(user, course)
    path = "/account/reset/" + accounts.make_reset_token(user, welcome=True)
    response = client.post(
        path, data={"new_password": "a new long password", "confirm": "a new long password"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses/demo"
    assert client.get("/account/").status_code == 200  # signed in, no second login
    assert accounts.authenticate("new@example.mn", "a new long password") is not None


def test_a_reset_link_without_an_enrolment_lands_on_my_learning(client, db):
    user = make_user(email="new@example.mn")
    path = "/account/reset/" + accounts.make_reset_token(user)
    response = client.post(
        path, data={"new_password": "a new long password", "confirm": "a new long password"}
    )
    assert response.headers["Location"] == "/my"


def test_the_account_page_shows_the_password_rules_up_front(client, login_as):
    login_as("trainee")
    client.post("/language", data={"lang": "en"})
    page = client.get("/account/").text
    assert "At least 10 characters." in page
    assert 'aria-describedby="new_password-hint"' in page
    assert "Credentials already issued keep the name they were issued with." in page


def test_details_are_saved_and_audited(client, login_as, db):
    user = login_as("trainee")
    old_name = user.name
    response = client.post("/account/details", data=DETAILS)
    assert response.status_code == 302
    saved = db.session.get(User, user.id)
    assert (saved.name, saved.region, saved.organisation, saved.phone, saved.locale) == (
        "Болормаа Сүхбат",
        "khovd",
        "Ховдын ТББ",
        "+976 9911 2233",
        "en",
    )
    assert '<html lang="en">' in client.get("/account/").text  # the language just chosen
    [event] = db.session.query(AuditEvent).filter_by(action="account.details_changed").all()
    assert event.details["name"] == {"from": old_name, "to": "Болормаа Сүхбат"}
    assert "+976" not in str(event.details)  # the phone number stays out of the log
    # Saving the same details again changes and logs nothing.
    client.post("/account/details", data=DETAILS)
    assert db.session.query(AuditEvent).filter_by(action="account.details_changed").count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("details-name", ""),
        ("details-region", "atlantis"),
        ("details-phone", "call me maybe"),
        ("details-locale", "fr"),
    ],
)
def test_bad_details_are_refused_in_words(client, login_as, db, field, value):
    user = login_as("trainee")
    response = client.post("/account/details", data={**DETAILS, field: value})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    assert f'href="#{field}"' in response.text
    assert db.session.get(User, user.id).name == user.name


def test_a_renamed_holder_asks_admins_for_corrected_credentials(client, login_as, db, tmp_path):
    admin = make_user(roles=("admin",))
    holder = make_user(name="Бат Дорж")
    credential = issue_demo_credential(tmp_path, holder)
    login_as(user=holder)
    client.post("/language", data={"lang": "en"})
    page = client.get("/account/").text
    assert "Ask for corrected credentials" not in page  # the names still agree
    assert "Бат Дорж" in page
    assert credential.number in page

    client.post("/account/details", data={**DETAILS, "details-name": "Батын Дорж"})
    page = client.get("/account/").text
    assert "Ask for corrected credentials" in page
    response = client.post("/account/name-correction", data={"correction-note": "Овог буруу"})
    assert response.status_code == 302
    [notice] = db.session.query(Notification).filter_by(user_id=admin.id).all()
    assert notice.kind == "name_correction"
    assert credential.number in notice.text
    assert "Батын Дорж" in notice.text
    assert notice.link.endswith(f"/admin/users/{holder.id}")
    [event] = (
        db.session.query(AuditEvent).filter_by(action="account.name_correction_requested").all()
    )
    assert event.details["credentials"] == [credential.number]
    # The credential itself is untouched: its snapshot keeps the old name.
    assert credential.snapshot["holder_name"] == "Бат Дорж"

    # Asking twice for the same name sends nothing more.
    again = client.post("/account/name-correction", data={})
    assert again.status_code == 302
    assert db.session.query(Notification).filter_by(user_id=admin.id).count() == 1
    assert "already asked" in client.get("/account/").text


def test_no_request_without_a_credential_under_another_name(client, login_as, db):
    make_user(roles=("admin",))
    login_as("trainee")
    assert client.post("/account/name-correction", data={}).status_code == 302
    assert db.session.query(Notification).count() == 0
    assert (
        db.session.query(AuditEvent).filter_by(action="account.name_correction_requested").count()
        == 0
    )
