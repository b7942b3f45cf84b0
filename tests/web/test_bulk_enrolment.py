"""Bulk enrolment of a cohort from a CSV file: preview, atomic apply, password links."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from sqlalchemy.exc import IntegrityError

from lms.models import AuditEvent, Enrolment, User
from lms.services.accounts import users as accounts
from lms.services.cohorts import bulk_enrolment as bulk_service
from lms.services.cohorts import management as cohort_management
from lms.services.cohorts.management import CohortDetails
from lms.services.learning import enrolment as enrolments
from tests.factories import DEFAULT_PASSWORD, client_for, make_user, publish_demo_course

CSV = (
    "\ufeffнэр;и-мэйл;утас;аймаг;байгууллага\r\n"
    "Батбаяр Өлзий;bat@example.mn;9911 2233;Ховд;Ховд ТББ\r\n"
    "Сарангэрэл Дорж;OLD@example.mn;;khovd;\r\n"
    "Алдаатай;not-an-email;;Марс;\r\n"
    "Долгор Бат;here@example.mn;;;\r\n"
)


@pytest.fixture
def setup(app, db, tmp_path):
    course = publish_demo_course(tmp_path, enrolment="key")
    trainer = make_user(roles=("trainer",), name="Сургагч Багш")
    cohort = cohort_management.create_cohort(course, "Ховд 2027", trainer)
    old = make_user(email="old@example.mn", name="Сараа Д.", region="khovd")
    here = make_user(email="here@example.mn")
    enrolments.enrol(here, course, key=cohort.enrolment_key)
    return {"course": course, "cohort": cohort, "trainer": trainer, "old": old, "here": here}


def _upload(client, cohort, text=CSV, data=None):
    body = data if data is not None else text.encode("utf-8")
    return client.post(
        f"/trainer/cohorts/{cohort.id}/bulk",
        data={"file": (BytesIO(body), "people.csv")},
        content_type="multipart/form-data",
    )


def _token(page):
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page.text).group(1)


def test_preview_then_apply_creates_accounts_and_enrols_in_one_go(app, db, setup, monkeypatch):
    sent = []
    monkeypatch.setattr(bulk_service, "send_mail", lambda *args: sent.append(args))
    cohort = setup["cohort"]
    client = client_for(app, setup["trainer"])
    assert client.get(f"/trainer/cohorts/{cohort.id}/bulk").status_code == 200

    preview = _upload(client, cohort)
    assert preview.status_code == 200
    text = preview.text
    assert "New accounts to create and enrol: 1" in text
    assert "Existing accounts to enrol: 1" in text
    assert "Already in this cohort (skipped): 1" in text
    assert "Rows with errors (not enrolled): 1" in text
    assert "“not-an-email” is not a valid email address." in text
    assert "Unknown aimag or district: “Марс”." in text
    assert "(account name: Сараа Д.)" in text
    assert db.session.query(User).filter_by(email="bat@example.mn").count() == 0  # only a preview

    response = client.post(
        f"/trainer/cohorts/{cohort.id}/bulk/apply", data={"token": _token(preview)}
    )
    assert response.headers["Location"].endswith(f"/trainer/cohorts/{cohort.id}")
    bat = db.session.query(User).filter_by(email="bat@example.mn").one()
    assert (bat.name, bat.phone, bat.region, bat.organisation) == (
        "Батбаяр Өлзий",
        "99112233",
        "khovd",
        "Ховд ТББ",
    )
    assert bat.role_names == {"trainee"}
    enrolled = {
        e.user_id: e
        for e in db.session.query(Enrolment).filter_by(cohort_id=cohort.id, state="active")
    }
    assert set(enrolled) == {bat.id, setup["old"].id, setup["here"].id}
    assert enrolled[bat.id].course_version_id == cohort.course_version_id
    assert db.session.get(User, setup["old"].id).name == "Сараа Д."  # a profile is not changed
    [event] = db.session.query(AuditEvent).filter_by(action="cohort.bulk_enrol").all()
    assert event.details == {
        "created": [bat.id],
        "enrolled": [bat.id, setup["old"].id],
        "already": 1,
        "errors": 1,
    }
    assert event.actor_id == setup["trainer"].id
    flashed = client.get(f"/trainer/cohorts/{cohort.id}").text
    assert "2 people enrolled: 1 new accounts, 1 existing accounts." in flashed

    # The new account has no usable password: only the mailed link lets its owner in.
    assert accounts.authenticate("bat@example.mn", bat.password_hash) is None
    [(to, subject, body)] = sent
    assert to == "bat@example.mn"
    assert "Ховд 2027" in body
    path = re.search(r"https?://[^/\s]+(/account/reset/\S+)", body).group(1)
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    visitor.post(path, data={"new_password": DEFAULT_PASSWORD, "confirm": DEFAULT_PASSWORD})
    assert accounts.authenticate("bat@example.mn", DEFAULT_PASSWORD) is not None


def test_applying_the_same_preview_twice_enrols_nobody_twice(app, db, setup, monkeypatch):
    monkeypatch.setattr(bulk_service, "send_mail", lambda *args: None)
    cohort = setup["cohort"]
    client = client_for(app, setup["trainer"])
    token = _token(_upload(client, cohort))
    client.post(f"/trainer/cohorts/{cohort.id}/bulk/apply", data={"token": token})
    again = client.post(f"/trainer/cohorts/{cohort.id}/bulk/apply", data={"token": token})
    assert again.status_code == 409
    assert "Something changed since the preview" in again.text
    assert "Already in this cohort (skipped): 3" in again.text
    assert db.session.query(User).filter_by(email="bat@example.mn").count() == 1
    assert db.session.query(AuditEvent).filter_by(action="cohort.bulk_enrol").count() == 1


def test_a_failure_while_applying_leaves_nothing_behind(app, db, setup, monkeypatch):
    cohort = setup["cohort"]
    client = client_for(app, setup["trainer"])
    text = CSV + "Шинэ Хоёр;second@example.mn;;;\r\n"
    token = _token(_upload(client, cohort, text))
    real, calls = bulk_service._new_account, []

    def fail_on_the_second(row, actor):
        calls.append(row.email)
        if len(calls) == 2:  # as if another request had just taken this address
            raise IntegrityError("INSERT", {}, Exception("duplicate"))
        return real(row, actor)

    monkeypatch.setattr(bulk_service, "_new_account", fail_on_the_second)
    response = client.post(f"/trainer/cohorts/{cohort.id}/bulk/apply", data={"token": token})
    assert response.status_code == 409
    assert calls == ["bat@example.mn", "second@example.mn"]
    assert db.session.query(User).filter(User.email.in_(calls)).count() == 0
    assert db.session.query(Enrolment).filter_by(user_id=setup["old"].id).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="cohort.bulk_enrol").count() == 0


def test_capacity_turns_the_extra_rows_into_errors(app, db, setup, monkeypatch):
    monkeypatch.setattr(bulk_service, "send_mail", lambda *args: None)
    cohort, trainer = setup["cohort"], setup["trainer"]
    from lms.services.cohorts import management as cohorts

    cohorts.update_details(cohort, CohortDetails(name=cohort.name, capacity=2), trainer)
    client = client_for(app, trainer)
    preview = _upload(client, cohort)  # one place left; two people can be enrolled
    assert "No place left: the cohort is full." in preview.text
    assert "New accounts to create and enrol: 1" in preview.text
    assert "Existing accounts to enrol: 0" in preview.text
    client.post(f"/trainer/cohorts/{cohort.id}/bulk/apply", data={"token": _token(preview)})
    taken = db.session.query(Enrolment).filter_by(cohort_id=cohort.id).count()
    assert taken == 2


def test_a_preview_only_works_for_its_trainer_and_cohort(app, db, setup, tmp_path):
    cohort, course = setup["cohort"], setup["course"]
    client = client_for(app, setup["trainer"])
    token = _token(_upload(client, cohort))
    other_cohort = cohort_management.create_cohort(course, "Өөр бүлэг", setup["trainer"])
    response = client.post(f"/trainer/cohorts/{other_cohort.id}/bulk/apply", data={"token": token})
    assert response.headers["Location"].endswith(f"/trainer/cohorts/{other_cohort.id}/bulk")
    for forged in (token[:-3] + "abc", ""):
        client.post(f"/trainer/cohorts/{cohort.id}/bulk/apply", data={"token": forged})
    assert db.session.query(User).filter_by(email="bat@example.mn").count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("нэр,и-мэйл\nБат,bat@example.mn\n".encode("cp1251"), "not saved as UTF-8"),
        (b"phone\n99112233\n", "Columns are missing: name, email."),
        (b"", "The file is empty."),
    ],
)
def test_unusable_files_are_explained(app, db, setup, data, message):
    client = client_for(app, setup["trainer"])
    response = _upload(client, setup["cohort"], data=data)
    assert response.status_code == 400
    assert message in response.text


def test_the_template_downloads_with_a_byte_order_mark(app, setup):
    client = client_for(app, setup["trainer"], language="mn")
    response = client.get("/trainer/cohorts/bulk-template.csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffнэр,и-мэйл,утас,аймаг,байгууллага\r\n")
