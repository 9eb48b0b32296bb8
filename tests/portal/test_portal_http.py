"""The portal over real HTTP: first admin, sign-in and lockout, CSRF, cookies, escaping, settings
with the game's validation and change log, family links, downloads."""

from __future__ import annotations

import json

import httpx
from fhir.resources.R4B.bundle import Bundle

from game.portal.forms import bounds_rows, fields, plan_rows
from game.portal.web import SECURITY_HEADERS
from game.therapist.settings_schema import settings_of
from tests.portal.conftest import NASTY_ALIAS, Portal, csrf_of, sign_up


def test_setup_makes_one_admin_then_disappears(portal: Portal) -> None:
    with httpx.Client(base_url=portal.url) as client:
        assert client.get("/patients").headers["location"] == "/login"
        assert client.get("/login").headers["location"] == "/setup"  # no account yet
        page = client.get("/setup")
        wrong = client.post(
            "/setup",
            data={
                "csrf": csrf_of(page.text),
                "setup_code": "WRONG-CODE1",
                "username": "eve",
                "password": "0123456789",
                "repeat": "0123456789",
            },
        )
        assert wrong.status_code == 200 and "setup code is not right" in wrong.text
        assert portal.store.count_therapists() == 0
        assert sign_up(client).headers["location"] == "/patients"
    [admin] = portal.store.list_therapists()
    assert admin.username == "ann" and admin.is_admin and admin.password_hash.startswith("scrypt$")
    with httpx.Client(base_url=portal.url) as other:
        assert other.get("/setup").status_code == 404  # an account exists: no second setup


def test_cookies_are_httponly_strict_and_pages_carry_security_headers(portal: Portal) -> None:
    with httpx.Client(base_url=portal.url) as client:
        response = sign_up(client)
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
        assert "Secure" not in cookie  # plain HTTP here; --secure-cookies for HTTPS
        page = client.get("/patients")
        for name, value in SECURITY_HEADERS.items():
            assert page.headers[name] == value
        assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none'


def test_wrong_passwords_lock_the_account_even_for_the_right_one(
    portal: Portal, therapist: httpx.Client
) -> None:
    with httpx.Client(base_url=portal.url) as client:

        def attempt(password: str) -> httpx.Response:
            page = client.get("/login")
            return client.post(
                "/login", data={"csrf": csrf_of(page.text), "username": "ann", "password": password}
            )

        assert "Wrong username or password" in attempt("nope nope 1").text
        assert "Wrong username or password" in attempt("nope nope 2").text
        assert "Wrong username or password" in attempt("nope nope 3").text
        locked = attempt("nope nope 4")
        assert "Locked for 30 seconds" in locked.text
        assert "locked for" in attempt("correct horse 1").text  # the right password waits too
        portal.clock.now_s += 31.0
        assert attempt("correct horse 1").headers["location"] == "/patients"
        unknown = client.post(
            "/login",
            data={"csrf": csrf_of(client.get("/login").text), "username": "zed", "password": "whatever12"},
        )
        assert "Wrong username or password." in unknown.text  # the same answer: names stay secret


def test_forms_without_the_session_csrf_change_nothing(portal: Portal, therapist: httpx.Client) -> None:
    before = portal.db.change_log("p1")
    page = therapist.get("/patients/p1/settings")
    form = {"csrf": "forged", "session_minutes": "25"}
    assert therapist.post("/patients/p1/settings", data=form).status_code == 403
    assert therapist.post("/patients/p1/links", data={"label": "x"}).status_code == 403
    assert portal.db.change_log("p1") == before and portal.store.family_links("p1") == []
    assert csrf_of(page.text) != "forged"


def test_every_page_escapes_what_users_typed(portal: Portal, therapist: httpx.Client) -> None:
    pages = [
        therapist.get(p).text
        for p in ("/patients", "/patients/p1", "/patients/p1/settings", "/patients/p1/sessions/1")
    ]
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; O&#39;Brien &amp; &#34;B&#34;"
    for html in pages:
        assert NASTY_ALIAS not in html and "<script>" not in html
        assert escaped in html
    assert "No weight on the &lt;b&gt;left&lt;/b&gt; shoulder" in pages[1]
    label = "<img src=x onerror=alert(1)>"
    created = therapist.post("/patients/p1/links", data={"csrf": csrf_of(pages[1]), "label": label})
    assert "<img" not in created.text and "&lt;img src=x onerror=alert(1)&gt;" in created.text
    assert "<video" not in "".join(pages)  # no video anywhere


def test_settings_use_the_games_validation_and_change_log(portal: Portal, therapist: httpx.Client) -> None:
    page = therapist.get("/patients/p1/settings")
    form = _form_values(portal, csrf_of(page.text))
    bad = therapist.post("/patients/p1/settings", data=form | {"sessions_per_week": "99"})
    assert bad.status_code == 400 and "sessions_per_week: 99 is above the allowed maximum 14" in bad.text
    unsafe = therapist.post("/patients/p1/settings", data=form | {"target_reach_fraction": "1.1"})
    assert "beyond Max reach" in unsafe.text  # safety limits bound everything else (in plain words)
    assert portal.db.change_log("p1") == []
    good = therapist.post(
        "/patients/p1/settings", data=form | {"session_minutes": "25", "reason": "tired <b>"}
    )
    assert good.status_code == 200 and "Saved 1 change." in good.text
    [entry] = portal.db.change_log("p1")
    assert (entry.key, entry.old, entry.new, entry.who, entry.reason) == (
        "session_minutes",
        20.0,
        25.0,
        "ann (portal)",
        "tired <b>",
    )
    assert "tired &lt;b&gt;" in good.text
    patient = portal.db.get_patient("p1")
    assert patient is not None and settings_of(patient).session_minutes == 25.0
    again = therapist.post("/patients/p1/settings", data=_form_values(portal, csrf_of(good.text)))
    assert "Nothing changed." in again.text and len(portal.db.change_log("p1")) == 1


def test_plan_rows_edit_the_plan(portal: Portal, therapist: httpx.Client) -> None:
    csrf = csrf_of(therapist.get("/patients/p1/settings").text)
    form = _form_values(portal, csrf) | {
        "plan-2-level": "trace-fish",
        "plan-2-sets": "1",
        "plan-2-reps": "3",
        "plan-2-rest_s": "10",
        "plan-0-level": "",
    }
    assert "Saved 1 change." in therapist.post("/patients/p1/settings", data=form).text
    patient = portal.db.get_patient("p1")
    assert patient is not None
    assert [dict(s) for s in settings_of(patient).plan] == [
        {"level": "reach-bubbles", "sets": 1, "reps": 6, "rest_s": 30.0},
        {"level": "trace-fish", "sets": 1, "reps": 3, "rest_s": 10.0},
    ]
    assert portal.db.change_log("p1")[0].key == "plan"


def _form_values(portal: Portal, csrf: str) -> dict[str, str]:
    """What the settings form sends back untouched (as a browser would)."""
    patient = portal.db.get_patient("p1")
    assert patient is not None
    s = settings_of(patient)
    out = {"csrf": csrf}
    for f in fields(s):
        if f.input == "checkbox":
            if f.value:
                out[f.spec.name] = "on"
        else:
            out[f.spec.name] = str(f.value)
    for i, row in enumerate(plan_rows(s)):
        for key, value in row.items():
            out[f"plan-{i}-{key}"] = str(value)
    for spec, lo, hi in bounds_rows(s):
        out[f"bounds-{spec.name}-0"], out[f"bounds-{spec.name}-1"] = str(lo), str(hi)
    return out


def test_downloads_are_the_exports(portal: Portal, therapist: httpx.Client) -> None:
    pdf = therapist.get("/patients/p1/export/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    bundle = therapist.get("/patients/p1/export/bundle.json")
    Bundle.model_validate(bundle.json())
    csv = therapist.get("/patients/p1/export/metrics.csv")
    assert csv.text.startswith("session_id,started_at,level_id,set,rep,")
    pseudo = therapist.get("/patients/p1/export/bundle.json?pseudonymise=1")
    assert "O'Brien" not in json.dumps(pseudo.json()) and '"p1"' not in pseudo.text
    assert "p1-bundle.json" not in pseudo.headers["content-disposition"]
    assert therapist.get("/patients/p1/export/secrets.txt").status_code == 404
    with httpx.Client(base_url=portal.url) as stranger:
        assert stranger.get("/patients/p1/export/report.pdf").headers["location"] == "/login"
