"""Family pages and therapist downloads.

A family member opens ``/f/<link id>``, types the access code the therapist gave, and sees that
patient's progress page only: the numbers of the game's family screen
(game/therapist/review.py ``progress_summary``) in plain words and big type, readable on a
phone. Their cookie is scoped to that link's path and checked against the link on every
request, so revoking the link signs them out at once; nothing under ``/f/`` leads to another
patient, a therapist page or an export.

Downloads (therapists only): the metrics and sessions CSV, the FHIR Bundle and the PDF report of
one patient, optionally pseudonymised with the database's export salt.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from game.export.csv_export import write_csv
from game.export.data import pseudonym
from game.export.fhir import fhir_bundle
from game.export.report import write_report
from game.export.writer import export_data, export_salt
from game.i18n import active
from game.portal import auth
from game.portal.views import chart
from game.portal.web import (
    FAMILY_COOKIE,
    FORM_COOKIE,
    SECURITY_HEADERS,
    Services,
    family_session,
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
from game.render.progress_view import BALANCE_TITLES, captions
from game.therapist.review import progress_summary

DOWNLOADS = {
    "metrics.csv": "text/csv; charset=utf-8",
    "sessions.csv": "text/csv; charset=utf-8",
    "bundle.json": "application/fhir+json",
    "report.pdf": "application/pdf",
}

Handler = Callable[[Request], Awaitable[Response]]


def handlers(services: Services) -> dict[str, Handler]:
    s = services

    async def family(request: Request) -> Response:
        link_id = request.path_params["link_id"]
        path = f"/f/{link_id}"
        if family_session(request, s, link_id) is not None:
            return redirect(f"{path}/progress")
        token, message = form_token(request), ""
        if request.method == "POST":
            form = plain(await request.form())
            if not form_ok(form, request.cookies.get(FORM_COOKIE, "")):
                return forbidden(request)
            result = await run_in_threadpool(
                auth.open_link, s.store, link_id, form.get("code", ""), s.now_s()
            )
            if result.ok:
                cookie, _ = auth.start_session(s.store, "family", link_id, s.now_s())
                response = redirect(f"{path}/progress")
                set_cookie(response, s, FAMILY_COOKIE, cookie, path=path, max_age=int(auth.FAMILY_SESSION_S))
                return response
            message = result.message
        link = s.store.get_family_link(link_id)
        if link is None or link.revoked_at is not None:
            return page(
                request,
                "error.html",
                {"title": "This link no longer works", "message": "Ask the therapist for a new one."},
                404,
            )
        context = {"csrf": token, "error": message, "action": path}
        return with_form_cookie(page(request, "family_code.html", context), s, token, path=path)

    async def progress(request: Request) -> Response:
        link_id = request.path_params["link_id"]
        if family_session(request, s, link_id) is None:
            return redirect(f"/f/{link_id}")
        return await run_in_threadpool(_progress_page, request, s, link_id)

    async def download(request: Request) -> Response:
        if signed_in(request, s) is None:
            return redirect("/login")
        return await run_in_threadpool(_download, request, s)

    return {"family": family, "progress": progress, "download": download}


def _progress_page(request: Request, s: Services, link_id: str) -> Response:
    link = s.store.get_family_link(link_id)
    patient = s.db.get_patient(link.patient_id) if link is not None else None
    if patient is None:
        return not_found(request)
    stats = s.stats.stats(s.db, s.db.sessions(patient.id))
    summary = progress_summary(s.db, patient, s.today(), stats)
    arm = f"the {patient.affected_side} arm"
    trends, words_of = [], captions(summary)
    for kind, title, data in (
        ("reach", f"How far {arm} reaches", summary.reach),
        ("smooth", "Steadier movement", summary.smooth),
        ("balance", str(BALANCE_TITLES.get(summary.balance_key, "Balance")), summary.balance),
    ):
        words = words_of[kind]
        first = summary.first_day.strftime("%d %b") if summary.first_day else ""
        trends.append((chart(title, *data, None, (first, "today")), words))
    daily_plan = summary.plan_minutes / max(summary.plan_sessions, 1)
    top = max([daily_plan, *summary.week_minutes_by_day, 1.0])
    days = active().day_letters()
    bars = [(days[i], m, m / top) for i, m in enumerate(summary.week_minutes_by_day)]
    context = {
        "p": summary,
        "trends": trends,
        "bars": bars,
        "plan_frac": daily_plan / top,
        "daily_plan": daily_plan,
    }
    return page(request, "family.html", context)


def _download(request: Request, s: Services) -> Response:
    name = request.path_params["name"]
    patient = s.db.get_patient(request.path_params["pid"])
    if name not in DOWNLOADS or patient is None or patient.guest:
        return not_found(request)
    pseudo = request.query_params.get("pseudonymise") == "1"
    salt = export_salt(s.db) if pseudo else ""
    data = export_data(s.db, patient)
    with tempfile.TemporaryDirectory(prefix="mirrorplay-portal-") as tmp:
        folder = Path(tmp)
        if name.endswith(".csv"):
            metrics, sessions = write_csv(data, folder / "metrics.csv", pseudonymise_id=pseudo, salt=salt)
            body = (metrics if name == "metrics.csv" else sessions).read_bytes()
        elif name == "bundle.json":
            bundle = fhir_bundle(data, pseudonymise_id=pseudo, salt=salt)
            body = json.dumps(bundle, indent=1, allow_nan=False).encode("utf-8")
        else:
            body = write_report(data, folder / "report.pdf", pseudonymise_id=pseudo, salt=salt).read_bytes()
    who = pseudonym(patient.id, salt) if pseudo else re.sub(r"[^A-Za-z0-9._-]", "_", patient.id)
    headers = dict(SECURITY_HEADERS)
    headers["Content-Disposition"] = f'attachment; filename="{who}-{name}"'
    return Response(body, media_type=DOWNLOADS[name], headers=headers)
