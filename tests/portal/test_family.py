"""Family links over real HTTP: the code opens one patient's progress page and nothing else;
revoking the link closes it at once; wrong codes lock the link."""

from __future__ import annotations

import re

import httpx
import psycopg

from game.portal.auth import normalise_code
from game.portal.web import FAMILY_COOKIE, THERAPIST_COOKIE
from game.therapist.review import progress_summary
from tests.history import TODAY
from tests.portal.conftest import Portal, csrf_of


def _make_link(therapist: httpx.Client, label: str = "Daughter Anna") -> tuple[str, str]:
    csrf = csrf_of(therapist.get("/patients/p1").text)
    page = therapist.post("/patients/p1/links", data={"csrf": csrf, "label": label}).text
    url = re.search(r'id="family-url">([^<]+)<', page)
    code = re.search(r'id="family-code">([^<]+)<', page)
    assert url and code
    return url.group(1), code.group(1)


def _stored_text(portal: Portal) -> str:
    """Everything stored: the SQLite file's bytes, or every portal row of the PostgreSQL database."""
    if portal.db.engine == "sqlite":
        return portal.db.path.read_bytes().decode("latin-1")
    with psycopg.connect(portal.url_of_db) as conn:
        rows = conn.execute("SELECT row_to_json(t)::text FROM portal_family_links t").fetchall()
    return "\n".join(r[0] for r in rows)


def _open(client: httpx.Client, path: str, code: str) -> httpx.Response:
    form = client.get(path)
    return client.post(path, data={"csrf": csrf_of(form.text), "code": code})


def test_the_code_opens_the_progress_page_with_the_games_numbers(
    portal: Portal, therapist: httpx.Client
) -> None:
    url, code = _make_link(therapist)
    path = httpx.URL(url).path
    assert [link.label for link in portal.store.family_links("p1")] == ["Daughter Anna"]
    assert code not in _stored_text(portal)  # only its hash is kept
    with httpx.Client(base_url=portal.url, follow_redirects=True) as phone:
        page = _open(phone, path, f"  {code.lower().replace('-', ' ')} ")  # as typed on a phone
        assert page.url.path == f"{path}/progress"
        patient = portal.db.get_patient("p1")
        assert patient is not None
        p = progress_summary(portal.db, patient, TODAY)
        text = re.sub(r"\s+", " ", page.text)
        assert (
            f"<strong>{p.week_sessions} of {p.plan_sessions}</strong><span>sessions this week</span>" in text
        )
        assert (
            f"<strong>{p.week_minutes:.0f} of {p.plan_minutes:.0f}</strong><span>minutes this week</span>"
            in text
        )
        days = "day" if p.streak == 1 else "days"
        assert f"<strong>{p.streak} {days}</strong><span>in a row</span>" in text
        assert f"<strong>{p.week_stars} stars</strong>" in text
        assert "Reaching further than at the start!" in text  # the history improves
        assert "&lt;script&gt;" in text and "<script>" not in text


def test_a_family_link_reaches_nothing_else(portal: Portal, therapist: httpx.Client) -> None:
    url, code = _make_link(therapist)
    path = httpx.URL(url).path
    with httpx.Client(base_url=portal.url) as phone:
        assert _open(phone, path, code).headers["location"] == f"{path}/progress"
        token = phone.cookies.get(FAMILY_COOKIE)
        assert token
        for other in (
            "/patients",
            "/patients/p1",
            "/patients/p2",
            "/patients/p1/settings",
            "/patients/p1/export/report.pdf",
            "/patients/p1/export/metrics.csv",
            "/therapists",
        ):
            response = phone.get(other)
            assert response.status_code == 303 and response.headers["location"] == "/login", other
        with httpx.Client(base_url=portal.url, cookies={THERAPIST_COOKIE: token}) as posing:
            assert posing.get("/patients/p2").headers["location"] == "/login"  # a family token is no pass
        other_url, _ = _make_link(therapist, "Son")
        other_path = httpx.URL(other_url).path
        assert phone.get(f"{other_path}/progress").headers["location"] == other_path  # asks for its code


def test_revoking_closes_the_link_at_once(portal: Portal, therapist: httpx.Client) -> None:
    url, code = _make_link(therapist)
    path = httpx.URL(url).path
    with httpx.Client(base_url=portal.url, follow_redirects=True) as phone:
        assert _open(phone, path, code).url.path == f"{path}/progress"
        [link] = portal.store.family_links("p1")
        csrf = csrf_of(therapist.get("/patients/p1").text)
        therapist.post("/patients/p1/links", data={"csrf": csrf, "revoke": link.id})
        gone = phone.get(f"{path}/progress")
        assert gone.status_code == 404 and "no longer works" in gone.text
        assert phone.get(path).status_code == 404
    [link] = portal.store.family_links("p1")
    assert link.revoked_at is not None


def test_wrong_codes_lock_the_link(portal: Portal, therapist: httpx.Client) -> None:
    url, code = _make_link(therapist)
    path = httpx.URL(url).path
    with httpx.Client(base_url=portal.url) as phone:
        for _ in range(3):
            assert "That code is not right" in _open(phone, path, "AAAAA-AAAAA").text
        assert "Locked for 30 seconds" in _open(phone, path, "AAAAA-AAAAA").text
        assert "try again in" in _open(phone, path, code).text
        portal.clock.now_s += 31.0
        assert _open(phone, path, code).headers["location"] == f"{path}/progress"
    assert normalise_code(" ab-c d ") == "ABCD"


def test_the_family_cookie_is_scoped_to_its_link(portal: Portal, therapist: httpx.Client) -> None:
    url, code = _make_link(therapist)
    path = httpx.URL(url).path
    with httpx.Client(base_url=portal.url) as phone:
        response = _open(phone, path, code)
        cookie = response.headers["set-cookie"]
        assert f"Path={path}" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
