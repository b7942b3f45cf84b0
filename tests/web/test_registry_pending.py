"""Pending decisions: the queue of proposals waiting for a second person, its number in the
menu, the tags on the registry list and the coach's record, and the notice to the others."""

from __future__ import annotations

import re

import pytest

from lms.domain.credentials.lifecycle import SUSPENSION_REASONS
from lms.domain.registry.decisions import Proposal
from lms.models import AuditEvent, Notification, RegistryDecision
from lms.services.registry import decisions as registry_decisions
from tests.factories import client_for, issue_demo_credential, make_user
from tests.query_counter import count_queries

SUSPEND_REASON = SUSPENSION_REASONS[0]


@pytest.fixture
def people(app, db, tmp_path):
    credential = issue_demo_credential(tmp_path)
    first = make_user(roles=("reviewer",), name="Хянагч Нэгдүгээр")
    second = make_user(roles=("reviewer",), name="Хянагч Хоёрдугаар")
    return {
        "credential": credential,
        "first": first,
        "second": second,
        "c1": client_for(app, first),
        "c2": client_for(app, second),
    }


def _menu_count(page: str) -> int:
    found = re.search(r'Pending decisions <span class="nav-count">(\d+)</span>', page)
    assert found, "no pending-decisions count in the menu"
    return int(found.group(1))


def test_the_second_reviewer_sees_the_proposal_and_confirms_it_from_the_queue(db, people):
    credential = people["credential"]
    assert _menu_count(people["c2"].get("/registry/").text) == 0
    proposal = registry_decisions.propose(
        credential, people["first"], Proposal("suspend", SUSPEND_REASON, "Гомдол ирсэн.")
    )

    queue = people["c2"].get("/registry/pending").text
    assert _menu_count(queue) == 1
    assert "1 proposal waits for a second person." in queue
    for shown in (
        credential.number,
        credential.snapshot["holder_name"],
        "Suspension proposed",
        "Гомдол ирсэн.",
        "Хянагч Нэгдүгээр",
        "Confirm: Suspend",
        "Reject the proposal",
    ):
        assert shown in queue
    assert f'action="/registry/proposals/{proposal.id}/confirm?back=pending"' in queue

    # The proposer's own proposal is not counted for them and cannot be confirmed by them.
    own = people["c1"].get("/registry/pending").text
    assert _menu_count(own) == 0
    assert "Withdraw my proposal" in own
    assert "Confirm: Suspend" not in own

    done = people["c2"].post(
        f"/registry/proposals/{proposal.id}/confirm?back=pending",
        data={f"p{proposal.id}-note": "Шалгасан."},
    )
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/registry/pending")
    after = people["c2"].get(done.headers["Location"]).text
    assert "Confirmed: the credential&#39;s status has changed." in after
    assert "Nothing is waiting" in after
    assert _menu_count(after) == 0
    db.session.refresh(credential)
    assert credential.status == "suspended"
    confirm = db.session.query(AuditEvent).filter_by(action="registry.confirm").one()
    assert confirm.details["proposed_by"] == people["first"].id


def test_the_queue_is_oldest_first_and_a_rejection_returns_to_it(app, db, people, tmp_path):
    later = issue_demo_credential(tmp_path, make_user(name="Дараах Эзэн"))
    first_proposal = registry_decisions.propose(
        people["credential"], people["first"], Proposal("suspend", SUSPEND_REASON, "Эхний.")
    )
    registry_decisions.propose(later, people["first"], Proposal("revoke", "fraud", "Дараах."))
    queue = people["c2"].get("/registry/pending").text
    assert queue.index("Эхний.") < queue.index("Дараах.")
    assert _menu_count(queue) == 2

    rejected = people["c2"].post(f"/registry/proposals/{first_proposal.id}/reject?back=pending")
    assert rejected.headers["Location"].endswith("/registry/pending")
    db.session.refresh(first_proposal)
    assert first_proposal.state == "rejected"
    assert _menu_count(people["c2"].get("/registry/pending").text) == 1


def test_the_list_row_and_the_record_show_a_pending_proposal(db, people):
    credential = people["credential"]
    assert "Revocation proposed" not in people["c2"].get("/registry/").text
    registry_decisions.propose(
        credential, people["first"], Proposal("revoke", "fraud", "Хуурамч баримт.")
    )
    listing = people["c2"].get("/registry/").text
    row = listing[listing.index(credential.number) :]
    row = row[: row.index("</tr>")]
    assert "Valid" in row
    assert "Revocation proposed" in row
    record = people["c2"].get(f"/registry/coaches/{credential.user_id}").text
    assert "Revocation proposed" in record


def test_the_other_reviewers_are_notified_with_a_link_to_the_queue(db, people):
    registry_decisions.propose(
        people["credential"], people["first"], Proposal("suspend", SUSPEND_REASON, "x")
    )
    notices = db.session.query(Notification).filter_by(kind="proposal_waiting").all()
    assert [n.user_id for n in notices] == [people["second"].id]
    assert notices[0].link.endswith("/registry/pending")


def test_the_menu_count_is_one_query_and_only_for_reviewers(app, db, people, tmp_path):
    registry_decisions.propose(
        people["credential"], people["first"], Proposal("suspend", SUSPEND_REASON, "x")
    )
    with app.app_context(), count_queries() as log:
        people["c2"].get("/account/").close()
    counts = [s for s in log.statements if "FROM registry_decision" in s]
    assert len(counts) == 1, log
    assert counts[0].startswith("SELECT count(*)")

    trainee = client_for(app, make_user())
    with app.app_context(), count_queries() as log:
        page = trainee.get("/account/").text
    assert "Pending decisions" not in page
    assert not [s for s in log.statements if "registry_decision" in s], log


@pytest.mark.parametrize("role", ["trainee", "trainer"])
def test_only_reviewers_and_admins_see_the_queue(app, db, people, role):
    assert client_for(app, make_user(roles=(role,))).get("/registry/pending").status_code == 403
    assert people["c2"].get("/registry/pending").status_code == 200
    admin = client_for(app, make_user(roles=("admin",)))
    assert "Pending decisions" in admin.get("/registry/pending").text


def test_proposals_stay_in_the_queue_only_while_open(db, people):
    proposal = registry_decisions.propose(
        people["credential"], people["first"], Proposal("suspend", SUSPEND_REASON, "x")
    )
    registry_decisions.withdraw(proposal, people["first"])
    assert db.session.query(RegistryDecision).filter_by(state="open").count() == 0
    assert "Nothing is waiting" in people["c2"].get("/registry/pending").text
