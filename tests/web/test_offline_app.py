"""The installable app's routes and the "Save for offline" list (docs/offline.md); the browser
side is in tests/browser/test_offline_browser.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

from lms.extensions import db
from lms.models import Enrolment
from lms.services.learning import enrolment as enrolments
from lms.web.static_assets import content_hashes, hashed_name
from tests.factories import make_user, publish_demo_course

STATIC = Path(__file__).resolve().parents[2] / "lms" / "static"


def test_manifest_start_url_and_icons(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.mimetype == "application/manifest+json"
    assert manifest.json["start_url"] == "/learn"
    assert manifest.json["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest.json["icons"]} == {"192x192", "512x512"}
    for icon in manifest.json["icons"]:
        assert client.get(icon["src"]).mimetype == "image/png"
    assert client.get("/learn").headers["Location"].endswith("/my")


def test_service_worker_is_served_at_the_root(client):
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker.headers["Service-Worker-Allowed"] == "/"
    assert worker.mimetype == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    # The Workbox runtime comes from our own static folder, never a CDN.
    assert b'importScripts("/static/workbox/workbox-sw.js")' in worker.data
    assert b"https://" not in worker.data
    for module in ("core", "precaching", "routing", "strategies", "cacheable-response"):
        assert client.get(f"/static/workbox/workbox-{module}.prod.js").status_code == 200


def test_the_precache_list_names_todays_static_files(client):
    """Workbox's build injected its list into the committed sw.js; the server states today's
    hashed names in it, so a CSS or JS change needs no rebuild (docs/offline.md)."""
    committed = (STATIC / "sw.js").read_text()
    assert "self.__WB_MANIFEST" not in committed
    assert re.search(r"precacheAndRoute\(\[\{", committed)
    served = client.get("/sw.js").get_data(as_text=True)
    listed = {e["url"] for e in json.loads(re.search(r"precacheAndRoute\((\[.*?\])\)", served)[1])}
    wanted = {
        "/static/" + hashed_name(name, digest)
        for name, digest in content_hashes(STATIC).items()
        if re.fullmatch(r"css/[^/]+\.css|js/[^/]+\.js|[^/]+\.svg|icons/[^/]+\.png", name)
    }
    assert listed == wanted
    for url in listed:
        assert client.get(url).status_code == 200, url
    # Everything else is the file Workbox built.
    rest = re.sub(r"precacheAndRoute\(\[.*?\]\)", "", served, flags=re.DOTALL)
    assert rest == re.sub(r"precacheAndRoute\(\[.*?\]\)", "", committed, flags=re.DOTALL)


def test_offline_list_names_the_pinned_versions_lessons_and_images(client, login_as, tmp_path):
    course = publish_demo_course(tmp_path)
    trainee = login_as("trainee")
    enrolments.enrol(trainee, course)
    answer = client.get("/learn/demo/offline.json")
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.json["version"] == "1.0.0"
    urls = answer.json["urls"]
    assert urls[:3] == [
        "/courses/demo",
        "/learn/demo/lessons/01-social-model",
        "/learn/demo/lessons/02-stages",
    ]
    images = [u for u in urls if u.startswith("/courses/demo/files/")]
    assert images
    assert all(u.endswith("five-stages.svg") for u in images)
    for url in urls:  # every one of them opens for this trainee
        assert client.get(url).status_code == 200, url


def test_offline_list_is_refused_without_access(client, login_as, tmp_path):
    publish_demo_course(tmp_path)
    login_as("trainee")
    assert client.get("/learn/demo/offline.json").status_code == 403
    assert client.get("/learn/nope/offline.json").status_code == 404


def test_saving_a_lesson_is_not_reading_it(client, login_as, tmp_path):
    course = publish_demo_course(tmp_path)
    trainee = login_as("trainee")
    enrolment_id = enrolments.enrol(trainee, course).enrolment.id
    lesson = "/learn/demo/lessons/02-stages"
    assert client.get(lesson, headers={"X-LMS-Offline-Save": "1"}).status_code == 200
    assert db.session.get(Enrolment, enrolment_id).last_lesson_id is None
    client.get(lesson)
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment_id).last_lesson_id == "02-stages"


def test_a_stranger_gets_no_list(client, tmp_path):
    publish_demo_course(tmp_path)
    enrolments.enrol(make_user(), publish_demo_course(tmp_path))
    answer = client.get("/learn/demo/offline.json")
    assert answer.status_code == 302
    assert "/account/login" in answer.headers["Location"]
