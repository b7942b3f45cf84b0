"""Reviewers' decisions: reviewed and concern notes, and the two-person rule for suspending,
reinstating and revoking subsidy-qualifying credentials (on the registry and admin pages)."""

from __future__ import annotations

from datetime import date

import pytest

from lms.domain.registry.decisions import Proposal
from lms.models import AuditEvent, CredentialEvent, RegistryDecision
from lms.services import audit
from lms.services.credentials import lifecycle as credential_lifecycle
from lms.services.registry import decisions as registry_decisions
from lms.services.registry.decisions import DecisionRefused
from tests.factories import client_for, issue_demo_credential, make_user
from tests.web.registry_seed import issue, publish_seminar


@pytest.fixture
def people(app, db, tmp_path):
    credential = issue_demo_credential(tmp_path)
    first = make_user(roles=("reviewer",), name="Хянагч Нэгдүгээр")
    second = make_user(roles=("reviewer",), name="Хянагч Хоёрдугаар")
    admin = make_user(roles=("admin",), name="Админ Гурав")
    return {
        "credential": credential,
        "first": first,
        "second": second,
        "admin": admin,
        "c1": client_for(app, first),
        "c2": client_for(app, second),
        "ca": client_for(app, admin),
    }


def _actions(db):
    return [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]


def _audit(db, action):
    return db.session.query(AuditEvent).filter_by(action=action).one()


def _propose(client, credential, action, reason="fraud", note="Баримт хуурамч."):
    prefix = f"change{credential.id}"
    return client.post(
        f"/registry/credentials/{credential.number}/proposals",
        data={f"{prefix}-action": action, f"{prefix}-reason": reason, f"{prefix}-note": note},
    )


def _open(db):
    return db.session.query(RegistryDecision).filter_by(kind="proposal", state="open").one()


def _followed(client, response):
    assert response.status_code == 302
    return client.get(response.headers["Location"]).text


def test_reviewed_and_concern(db, people):
    credential, client = people["credential"], people["c1"]
    prefix = f"note{credential.id}"
    url = f"/registry/credentials/{credential.number}/decisions"
    page = _followed(client, client.post(url, data={f"{prefix}-kind": "reviewed"}))
    assert "Decision recorded." in page
    refused = client.post(url, data={f"{prefix}-kind": "concern", f"{prefix}-note": "  "})
    assert "Write a note" in _followed(client, refused)
    client.post(url, data={f"{prefix}-kind": "concern", f"{prefix}-note": "Хаяг буруу."})
    rows = db.session.query(RegistryDecision).order_by(RegistryDecision.id).all()
    assert [(r.kind, r.note, r.actor_id) for r in rows] == [
        ("reviewed", "", people["first"].id),
        ("concern", "Хаяг буруу.", people["first"].id),
    ]
    assert _actions(db)[-2:] == ["registry.reviewed", "registry.concern"]
    db.session.refresh(credential)
    assert credential.status == "active"


def test_two_people_revoke_a_subsidy_credential(db, people):
    credential, first, second = people["credential"], people["first"], people["second"]
    page = _followed(people["c1"], _propose(people["c1"], credential, "revoke"))
    assert "A different reviewer or administrator must now confirm it." in page
    proposal = _open(db)
    assert (proposal.action, proposal.reason, proposal.actor_id) == ("revoke", "fraud", first.id)
    assert "Withdraw my proposal" in page
    assert "Confirm: Revoke" not in page
    db.session.refresh(credential)
    assert credential.status == "active"

    # The proposer cannot confirm (or reject) their own proposal.
    own = people["c1"].post(f"/registry/proposals/{proposal.id}/confirm")
    assert "You proposed this change" in _followed(people["c1"], own)
    people["c1"].post(f"/registry/proposals/{proposal.id}/reject")
    db.session.refresh(credential)
    db.session.refresh(proposal)
    assert (credential.status, proposal.state) == ("active", "open")
    assert "registry.confirm" not in _actions(db)

    # A second reviewer confirms: the status changes, and the history and audit name both.
    their_page = people["c2"].get(f"/registry/coaches/{credential.user_id}").text
    assert "Confirm: Revoke" in their_page
    assert "Withdraw my proposal" not in their_page
    done = people["c2"].post(
        f"/registry/proposals/{proposal.id}/confirm", data={f"p{proposal.id}-note": "Зөв."}
    )
    assert "the credential&#39;s status has changed" in _followed(people["c2"], done)
    db.session.refresh(credential)
    db.session.refresh(proposal)
    assert credential.status == "revoked"
    assert (proposal.state, proposal.resolved_by_id, proposal.resolution_note) == (
        "confirmed",
        second.id,
        "Зөв.",
    )
    event = db.session.query(CredentialEvent).filter_by(action="revoke").one()
    assert (event.actor_id, event.reason, event.credential_id) == (
        second.id,
        "fraud",
        credential.id,
    )
    confirm = _audit(db, "registry.confirm")
    assert confirm.actor_id == second.id
    assert confirm.details["proposed_by"] == first.id
    assert confirm.details["confirmed_by"] == second.id
    revoke = _audit(db, "credential.revoke")
    assert (revoke.actor_id, revoke.details["proposed_by"]) == (second.id, first.id)
    assert _actions(db)[-3:] == ["registry.propose", "registry.confirm", "credential.revoke"]
    assert audit.verify() == []

    # Decided once: confirming again is refused, and nothing else changes.
    again = people["ca"].post(f"/registry/proposals/{proposal.id}/confirm")
    assert "already been decided" in _followed(people["ca"], again)
    assert db.session.query(CredentialEvent).filter_by(action="revoke").count() == 1


def test_reject(db, people):
    credential = people["credential"]
    _propose(people["c1"], credential, "suspend", reason="other")
    proposal = _open(db)
    people["c2"].post(
        f"/registry/proposals/{proposal.id}/reject", data={f"p{proposal.id}-note": "Үндэслэлгүй."}
    )
    db.session.refresh(credential)
    db.session.refresh(proposal)
    assert credential.status == "active"
    assert (proposal.state, proposal.resolved_by_id) == ("rejected", people["second"].id)
    assert _audit(db, "registry.reject").details["proposed_by"] == people["first"].id
    assert db.session.query(CredentialEvent).filter_by(action="suspend").count() == 0


def test_withdraw_only_by_the_proposer(db, people):
    credential = people["credential"]
    _propose(people["c1"], credential, "suspend", reason="other")
    proposal = _open(db)
    other = people["c2"].post(f"/registry/proposals/{proposal.id}/withdraw")
    assert "Only the person who proposed" in _followed(people["c2"], other)
    people["c1"].post(f"/registry/proposals/{proposal.id}/withdraw")
    db.session.refresh(proposal)
    assert (proposal.state, proposal.resolved_by_id) == ("withdrawn", people["first"].id)
    assert "registry.withdraw" in _actions(db)
    _propose(people["c2"], credential, "suspend", reason="other")  # a new one may now open
    assert _open(db).actor_id == people["second"].id


def test_one_open_proposal_per_credential(db, people):
    credential = people["credential"]
    _propose(people["c1"], credential, "suspend", reason="other")
    second = _propose(people["c2"], credential, "revoke")
    assert "Another proposal for this credential is waiting" in _followed(people["c2"], second)
    assert db.session.query(RegistryDecision).count() == 1


def test_a_proposal_needs_its_reason_and_note(db, people):
    credential, first = people["credential"], people["first"]
    with pytest.raises(DecisionRefused) as refused:
        registry_decisions.propose(credential, first, Proposal("revoke", "", "Тэмдэглэл"))
    assert refused.value.code == "reason_missing"
    with pytest.raises(DecisionRefused) as refused:
        registry_decisions.propose(credential, first, Proposal("suspend", "other", " "))
    assert refused.value.code == "note"
    with pytest.raises(DecisionRefused) as refused:
        registry_decisions.propose(credential, first, Proposal("reinstate", "", "Буцаах"))
    assert refused.value.code == "transition"  # an active credential is not reinstated
    no_note = _propose(people["c1"], credential, "revoke", note="")
    assert "The proposal was not saved" in _followed(people["c1"], no_note)
    assert db.session.query(RegistryDecision).count() == 0


def test_reinstating_also_takes_two_people(db, people):
    credential, first, admin = people["credential"], people["first"], people["admin"]
    registry_decisions.propose(credential, first, Proposal("suspend", "other", "Шалгана."))
    registry_decisions.confirm(_open(db), admin)
    db.session.refresh(credential)
    assert credential.status == "suspended"
    registry_decisions.propose(credential, admin, Proposal("reinstate", "", "Шалгаад зөв."))
    with pytest.raises(DecisionRefused) as refused:
        registry_decisions.confirm(_open(db), admin)
    assert refused.value.code == "own"
    registry_decisions.confirm(_open(db), first)
    db.session.refresh(credential)
    assert credential.status == "active"
    actions = [e.action for e in db.session.query(CredentialEvent).order_by(CredentialEvent.id)]
    assert actions == ["issue", "suspend", "reinstate"]


def test_confirming_a_change_no_longer_possible_keeps_the_proposal_open(db, people):
    credential, first, second = people["credential"], people["first"], people["second"]
    registry_decisions.propose(credential, first, Proposal("suspend", "other", "Шалгана."))
    credential_lifecycle.change_status(
        credential, "revoke", people["admin"], "fraud", "Өөр замаар."
    )
    with pytest.raises(DecisionRefused) as refused:
        registry_decisions.confirm(_open(db), second)
    assert refused.value.code == "transition"
    assert _open(db).state == "open"
    assert "registry.confirm" not in _actions(db)


def test_admin_page_cannot_bypass_the_two_person_rule(db, people):
    credential = people["credential"]
    page = people["ca"].get(f"/admin/credentials/{credential.number}").text
    assert "takes two people" in page
    response = people["ca"].post(
        f"/admin/credentials/{credential.number}",
        data={"action": "suspend", "reason": "other", "note": "Түр зогсооно."},
    )
    assert "saved as a proposal" in _followed(people["ca"], response)
    db.session.refresh(credential)
    assert credential.status == "active"
    proposal = _open(db)
    assert (proposal.action, proposal.actor_id) == ("suspend", people["admin"].id)
    assert (
        "A proposal is waiting" in people["ca"].get(f"/admin/credentials/{credential.number}").text
    )
    people["c1"].post(f"/registry/proposals/{proposal.id}/confirm")
    db.session.refresh(credential)
    assert credential.status == "suspended"


def test_non_subsidy_credentials_change_directly_by_an_admin(app, db, people, tmp_path):
    seminar = publish_seminar(tmp_path / "seminar")
    holder = make_user()
    credential = issue(seminar, holder, date(2027, 1, 5), make_user(roles=("trainer",)))
    assert credential.qualifies_for_subsidy is False
    refused = _propose(people["c1"], credential, "revoke")
    assert "does not qualify for the subsidy" in _followed(people["c1"], refused)
    record = people["ca"].get(f"/registry/coaches/{holder.id}").text
    assert "Propose a status change" not in record
    assert f"/admin/credentials/{credential.number}" in record
    people["ca"].post(
        f"/admin/credentials/{credential.number}",
        data={"action": "suspend", "reason": "other", "note": "Түр."},
    )
    db.session.refresh(credential)
    assert credential.status == "suspended"
    assert db.session.query(RegistryDecision).count() == 0


def _reason_select(html, name):
    start = html.index(f'id="{name}" name="{name}"')
    return html[start : html.index("</select>", start)]


def test_no_reason_is_chosen_in_advance_and_each_change_has_its_own_list(db, people):
    credential = people["credential"]
    page = people["c1"].get(f"/registry/coaches/{credential.user_id}").text
    select = _reason_select(page, f"change{credential.id}-reason")
    assert select.count("selected") == 1  # the blank first choice: no reason is preselected
    assert '<option selected value="">' in select
    assert select.index('value=""') < select.index("<optgroup")
    suspension = select[select.index('label="Reasons for a suspension"') :]
    suspension = suspension[: suspension.index("</optgroup>")]
    assert 'value="investigation"' in suspension
    assert 'value="fraud"' not in suspension
    revocation = select[select.index('label="Reasons for a revocation"') :]
    assert 'value="fraud"' in revocation[: revocation.index("</optgroup>")]
    admin_page = people["ca"].get(f"/admin/credentials/{credential.number}").text
    assert _reason_select(admin_page, "reason").count("selected") == 1
    assert '<option selected value="">' in _reason_select(admin_page, "reason")


@pytest.mark.parametrize(
    ("action", "reason", "message"),
    [
        ("suspend", "", "Choose a reason for the suspension."),
        ("suspend", "fraud", "This is a reason for a revocation"),
        ("revoke", "", "Choose a reason for the revocation."),
        ("revoke", "investigation", "This is a reason for a suspension"),
    ],
)
def test_a_missing_or_misplaced_reason_is_a_form_error(db, people, action, reason, message):
    response = _propose(people["c1"], people["credential"], action, reason=reason)
    assert message in _followed(people["c1"], response)
    assert db.session.query(RegistryDecision).count() == 0


def test_a_suspension_stores_its_own_reason_and_a_reinstatement_none(db, people):
    credential = people["credential"]
    _propose(people["c1"], credential, "suspend", reason="investigation")
    assert _open(db).reason == "investigation"
    people["c2"].post(f"/registry/proposals/{_open(db).id}/confirm")
    db.session.refresh(credential)
    assert (credential.status, credential.status_reason) == ("suspended", "investigation")
    _propose(people["c1"], credential, "reinstate", reason="fraud")  # sent, never stored
    assert _open(db).reason == ""
    people["c2"].post(f"/registry/proposals/{_open(db).id}/confirm")
    db.session.refresh(credential)
    assert (credential.status, credential.status_reason) == ("active", "")
    events = db.session.query(CredentialEvent).order_by(CredentialEvent.id).all()
    assert [(e.action, e.reason) for e in events] == [
        ("issue", ""),
        ("suspend", "investigation"),
        ("reinstate", ""),
    ]
    assert _audit(db, "credential.reinstate").details["reason"] == ""


def test_the_admin_form_checks_the_reason_for_a_direct_change(app, db, people, tmp_path):
    seminar = publish_seminar(tmp_path / "seminar")
    credential = issue(seminar, make_user(), date(2027, 1, 5), make_user(roles=("trainer",)))
    url = f"/admin/credentials/{credential.number}"
    page = people["ca"].post(url, data={"action": "suspend", "reason": "fraud", "note": "Түр."})
    assert "This is a reason for a revocation" in page.text
    db.session.refresh(credential)
    assert credential.status == "active"
    people["ca"].post(url, data={"action": "suspend", "reason": "records_check", "note": "Түр."})
    db.session.refresh(credential)
    assert (credential.status, credential.status_reason) == ("suspended", "records_check")


def test_unknown_credentials_and_proposals_are_404(db, people):
    assert people["c1"].post("/registry/credentials/JC-2020-00999-0/proposals").status_code == 404
    assert people["c1"].post("/registry/proposals/999/confirm").status_code == 404
    registry_decisions.record_note(people["credential"], people["first"], "reviewed", "")
    note = db.session.query(RegistryDecision).one()
    assert people["c2"].post(f"/registry/proposals/{note.id}/confirm").status_code == 404
