"""A lesson completion sent later from the device's offline queue (static/js/offline-queue.js)
asks for JSON: it is recorded once, like the form, and answered with words, not a redirect."""

from __future__ import annotations

from lms.models import LessonProgress
from tests.factories import publish_demo_course

JSON = {"Accept": "application/json"}


def test_a_queued_completion_is_recorded_once_and_answered_in_json(client, login_as, db, tmp_path):
    publish_demo_course(tmp_path, enrolment="open")
    login_as("trainee")
    client.post("/courses/demo/enrol")
    url = "/learn/demo/lessons/01-social-model/complete"
    for _ in range(2):  # sent again after a lost reply: still one completion
        response = client.post(url, headers=JSON)
        assert response.status_code == 200
        assert response.get_json() == {"outcome": "completed"}
    assert db.session.query(LessonProgress).count() == 1
    unknown = client.post("/learn/demo/lessons/no-such-lesson/complete", headers=JSON)
    assert unknown.status_code == 404
    assert client.post(url).status_code == 302  # the form without JavaScript: as before
