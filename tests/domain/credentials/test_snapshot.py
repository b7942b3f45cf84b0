"""The frozen credential snapshot and its stored JSON."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from lms.domain.credentials import CredentialSnapshot
from tests.domain.credentials.samples import SNAPSHOT, without_expiry


@pytest.mark.parametrize(
    "snapshot",
    [
        SNAPSHOT,
        without_expiry(),
        replace(SNAPSHOT, grants=("sign-off-practicum",), issuing_trainer=None),
    ],
)  # noqa: E501
def test_json_round_trip(snapshot: CredentialSnapshot) -> None:
    stored = json.loads(json.dumps(snapshot.to_json()))  # what a JSON column gives back
    assert CredentialSnapshot.from_json(stored) == snapshot
    assert CredentialSnapshot.from_json(stored).to_json() == snapshot.to_json()


def test_json_is_plain_and_stable() -> None:
    data = SNAPSHOT.to_json()
    assert data["schema"] == 1
    assert data["issued_on"] == "2026-03-12"
    assert data["expires_on"] == "2029-03-12"
    assert data["course_title"] == {
        "en": "Job coach training",
        "mn": "Ажлын дасгалжуулагчийн сургалт",
    }
    assert json.dumps(data, sort_keys=True) == json.dumps(SNAPSHOT.to_json(), sort_keys=True)
    assert not {"national_id", "registration_number", "score", "email", "phone"} & set(data)


def test_snapshot_cannot_change() -> None:
    source = {"mn": "Нэр", "en": "Name"}
    snapshot = replace(SNAPSHOT, credential_name=source)
    source["en"] = "Changed"
    assert snapshot.credential_name["en"] == "Name"
    with pytest.raises(TypeError):
        snapshot.credential_name["en"] = "Changed"  # type: ignore[index]
    with pytest.raises(AttributeError):
        snapshot.holder_name = "Someone else"  # type: ignore[misc]


@pytest.mark.parametrize(
    "change",
    [
        {"number": "JC-2026-00042-7"},  # wrong check digit
        {"number": "jc-2026-00042-3"},  # not canonical
        {"holder_name": "  "},
        {"course_title": {}},
        {"classroom_hours": -1},
        {"practicum_hours": float("inf")},
        {"expires_on": date(2026, 3, 11)},
    ],
)
def test_invalid_snapshots_are_refused(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"."):
        replace(SNAPSHOT, **change)


def _edited(**changes: Any) -> dict[str, Any]:
    data = SNAPSHOT.to_json()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "data",
    [
        _edited(schema=2),
        _edited(national_id="УБ99112233"),
        {k: v for k, v in SNAPSHOT.to_json().items() if k != "region"},
        _edited(classroom_hours="26"),
        _edited(qualifies_for_subsidy=1),
        _edited(classroom_hours=True),
        _edited(issued_on="20260312"),
        _edited(issued_on=None),
        _edited(grants="sign-off-practicum"),
        _edited(course_title={"mn": 5}),
        _edited(issuing_trainer=7),
    ],
)
def test_from_json_is_strict(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"."):
        CredentialSnapshot.from_json(data)
