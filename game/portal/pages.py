"""Therapist pages: first-run setup, sign-in, patients, a patient's review, sessions, settings,
family links and accounts. Each handler checks the sign-in first and every form's CSRF token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from game.portal import auth, forms
from game.portal.views import (
    SESSIONS_PER_PAGE,
    SessionLine,
    dose,
    level_lines,
    level_title,
    session_lines,
    trend_charts,
)
from game.portal.web import (
    FORM_COOKIE,
    THERAPIST_COOKIE,
    Services,
    forbidden,
    form_ok,
    form_token,
    not_found,
    page,
    plain,
    redirect,
    set_cookie,
    signed_in,
    with_form_cookie,
)
from game.storage.portal_store import PortalSession, Therapist
from game.storage.records import Patient, utc_now
from game.therapist.adaptive_session import load_log
from game.therapist.review import planned_dose
from game.therapist.settings_schema import SettingsError, diff, settings_of

Handler = Callable[[Request], Awaitable[Response]]


def handlers(services: Services) -> dict[str, Handler]:
    """The therapist pages' handlers by route name (see game/portal/app.py for paths)."""
    s = services

    async def setup(request: Request) -> Response:
        if s.store.count_therapists() > 0 or s.setup_code is None:
            return not_found(request)
        token, error = form_token(request), ""
        if request.method == "POST":
            form = plain(await request.form())
            if not form_ok(form, request.cookies.get(FORM_COOKIE, "")):
                return forbidden(request)
            error = await run_in_threadpool(_create_admin, s, form)
            if not error:
                return await _sign_in(s, form["username"].strip())
        return with_form_cookie(page(request, "setup.html", {"csrf": token, "error": error}), s, token)

    async def login(request: Request) -> Response:
        if s.store.count_therapists() == 0:
            return redirect("/setup")
        token, message = form_token(request), ""
        if request.method == "POST":
            form = plain(await request.form())
            if not form_ok(form, request.cookies.get(FORM_COOKIE, "")):
                return forbidden(request)
            result = await run_in_threadpool(
                auth.login, s.store, form.get("username", ""), form.get("password", ""), s.now_s()
            )
            if result.ok:
                return await _sign_in(s, form["username"].strip())
            message = result.message
        return with_form_cookie(page(request, "login.html", {"csrf": token, "error": message}), s, token)

    async def logout(request: Request) -> Response:
        who = signed_in(request, s)
        form = plain(await request.form())
        if who is not None and form_ok(form, who[0].csrf):
            s.store.delete_portal_session(who[0].token_hash)
        response = redirect("/login")
        response.delete_cookie(THERAPIST_COOKIE, path="/")
        return response

    async def patients(request: Request) -> Response:
        return await _guarded(request, s, _patients_page)

    async def patient(request: Request) -> Response:
        return await _guarded(request, s, _patient_page)

    async def session(request: Request) -> Response:
        return await _guarded(request, s, _session_page)

    async def settings(request: Request) -> Response:
        return await _guarded(request, s, _settings_page)

    async def links(request: Request) -> Response:
        return await _guarded(request, s, _links_action)

    async def therapists(request: Request) -> Response:
        return await _guarded(request, s, _therapists_page)

    return {
        "setup": setup,
        "login": login,
        "logout": logout,
        "patients": patients,
        "patient": patient,
        "session": session,
        "settings": settings,
        "links": links,
        "therapists": therapists,
    }


Page = Callable[[Request, Services, PortalSession, Therapist, dict[str, str]], Response]


async def _guarded(request: Request, s: Services, view: Page) -> Response:
    """Run `view` for a signed-in therapist; POSTs need the session's CSRF token."""
    who = signed_in(request, s)
    if who is None:
        return redirect("/login")
    form: dict[str, str] = {}
    if request.method == "POST":
        form = plain(await request.form())
        if not form_ok(form, who[0].csrf):
            return forbidden(request)
    return await run_in_threadpool(view, request, s, who[0], who[1], form)


async def _sign_in(s: Services, username: str) -> Response:
    token, session = auth.start_session(s.store, "therapist", username, s.now_s())
    response = redirect("/patients")
    set_cookie(response, s, THERAPIST_COOKIE, token, max_age=int(auth.THERAPIST_SESSION_S))
    response.delete_cookie(FORM_COOKIE, path="/")
    return response


def _create_admin(s: Services, form: dict[str, str]) -> str:
    """The error to show, or "" once the first administrator exists."""
    if not auth.same_token(form.get("setup_code", "").strip(), s.setup_code or ""):
        return "The setup code is not right: it is printed where the portal was started."
    if form.get("password", "") != form.get("repeat", ""):
        return "The two passwords differ."
    try:
        account = auth.new_therapist(
            form.get("username", ""), form.get("password", ""), is_admin=True, created_at=utc_now()
        )
    except auth.AuthError as err:
        return str(err)
    if not s.store.add_first_admin(account):
        return "An account exists already: sign in instead."
    return ""


def _patient_or_none(request: Request, s: Services) -> Patient | None:
    patient = s.db.get_patient(request.path_params["pid"])
    return None if patient is None or patient.guest else patient


def _patients_page(
    request: Request, s: Services, session: PortalSession, me: Therapist, form: dict[str, str]
) -> Response:
    rows = []
    for p in s.db.list_patients(include_guests=False):
        history = s.db.sessions(p.id)
        last = history[-1] if history else None
        rows.append((p, len(history), last))
    return page(request, "patients.html", {"me": me, "csrf": session.csrf, "rows": rows})


def _patient_page(
    request: Request, s: Services, session: PortalSession, me: Therapist, form: dict[str, str]
) -> Response:
    patient = _patient_or_none(request, s)
    if patient is None:
        return not_found(request)
    settings = settings_of(patient)
    rows = s.db.sessions(patient.id)
    stats = s.stats.stats(s.db, rows)
    level_reps = s.level_reps()
    lines = session_lines(stats, rows, level_reps)
    asked = request.query_params.get("page", "0")
    page_no = int(asked) if asked.isdigit() else 0
    shown = lines[page_no * SESSIONS_PER_PAGE : (page_no + 1) * SESSIONS_PER_PAGE]
    _, plan_reps = planned_dose(settings)
    current = shown_plan_reps(lines, plan_reps)
    context = {
        "me": me,
        "csrf": session.csrf,
        "patient": patient,
        "settings": settings,
        "dose": dose(stats, settings, s.today(), current),
        "charts": trend_charts(stats),
        "lines": shown,
        "page_no": page_no,
        "more": len(lines) > (page_no + 1) * SESSIONS_PER_PAGE,
        "ended_pain": sum(1 for st in stats if st.status == "ended_pain"),
        "links": s.store.family_links(patient.id),
        "new_link": None,
        "error": "",
        "adaptive": list(reversed(load_log(s.db, patient.id)))[:10],
    }
    return page(request, "patient.html", context)


def shown_plan_reps(lines: list[SessionLine], fallback: float) -> float:
    """Repetitions of the plan stored with the newest session, else the settings' plan."""
    newest = next((ln.plan_reps for ln in lines if ln.plan_reps is not None), None)
    return float(newest) if newest is not None else fallback


def _session_page(
    request: Request, s: Services, session: PortalSession, me: Therapist, form: dict[str, str]
) -> Response:
    patient = _patient_or_none(request, s)
    sid = request.path_params["sid"]
    rows = s.db.sessions(patient.id) if patient is not None else []
    row = next((r for r in rows if r.id == sid), None)
    if patient is None or row is None:
        return not_found(request)
    [stat] = s.stats.stats(s.db, [row])
    levels = [(level_title(dict(s.levels), r.level_id), r, level_lines(r)) for r in stat.levels]
    context = {
        "me": me,
        "csrf": session.csrf,
        "patient": patient,
        "row": row,
        "stat": stat,
        "levels": levels,
        "number": rows.index(row) + 1,
        "total": len(rows),
    }
    return page(request, "session.html", context)


def _settings_page(
    request: Request, s: Services, session: PortalSession, me: Therapist, form: dict[str, str]
) -> Response:
    patient = _patient_or_none(request, s)
    if patient is None:
        return not_found(request)
    current, message, error = settings_of(patient), "", ""
    draft = current
    if request.method == "POST":
        try:
            draft = forms.read_form(form, current)
        except SettingsError as err:
            error = f"Not saved - {err}"
        else:
            changes = diff(current, draft)
            if changes:
                reason = form.get("reason", "").strip() or "portal edit"
                s.db.update_patient_settings(
                    patient.id,
                    draft.to_mapping(),
                    who=f"{me.username} (portal)",
                    reason=reason[:200],
                    at=utc_now(),
                )
                patient = s.db.get_patient(patient.id) or patient
                draft = settings_of(patient)
            message = (
                f"Saved {len(changes)} change{'s' if len(changes) != 1 else ''}."
                if changes
                else ("Nothing changed.")
            )
    context = {
        "me": me,
        "csrf": session.csrf,
        "patient": patient,
        "fields": forms.fields(draft),
        "plan": forms.plan_rows(draft),
        "bounds": forms.bounds_rows(draft),
        "levels": s.levels,
        "log": list(reversed(s.db.change_log(patient.id))),
        "message": message,
        "error": error,
        "form": form if error else {},
    }
    return page(request, "settings.html", context, 400 if error else 200)


def _links_action(
    request: Request, s: Services, session: PortalSession, me: Therapist, form: dict[str, str]
) -> Response:
    patient = _patient_or_none(request, s)
    if patient is None or request.method != "POST":
        return not_found(request)
    revoke = form.get("revoke", "")
    if revoke:
        link = s.store.get_family_link(revoke)
        if link is None or link.patient_id != patient.id:
            return not_found(request)
        s.store.revoke_family_link(revoke, utc_now())
        return redirect(f"/patients/{patient.id}#family")
    try:
        link, code = auth.new_link(patient.id, form.get("label", ""), me.username, utc_now())
    except auth.AuthError as err:
        return page(
            request,
            "link_created.html",
            {"me": me, "csrf": session.csrf, "patient": patient, "error": str(err), "link": None, "code": ""},
            400,
        )
    s.store.add_family_link(link)
    url = str(request.url_for("family", link_id=link.id))
    return page(
        request,
        "link_created.html",
        {
            "me": me,
            "csrf": session.csrf,
            "patient": patient,
            "error": "",
            "link": replace(link, code_hash=""),
            "code": code,
            "url": url,
        },
    )


def _therapists_page(
    request: Request, s: Services, session: PortalSession, me: Therapist, form: dict[str, str]
) -> Response:
    if not me.is_admin:
        return not_found(request)
    error, message = "", ""
    if request.method == "POST":
        try:
            account = auth.new_therapist(
                form.get("username", ""),
                form.get("password", ""),
                is_admin="is_admin" in form,
                created_at=utc_now(),
            )
            if s.store.get_therapist(account.username) is not None:
                raise auth.AuthError("That username is taken.")
            s.store.add_therapist(account)
            message = f"Account {account.username} created."
        except auth.AuthError as err:
            error = str(err)
    context = {
        "me": me,
        "csrf": session.csrf,
        "accounts": s.store.list_therapists(),
        "error": error,
        "message": message,
    }
    return page(request, "therapists.html", context, 400 if error else 200)
