"""The portal's plumbing: its services, templates, cookies, CSRF checks and security headers.

Cookies are HttpOnly and SameSite=Strict (Secure with ``secure_cookies``, for a portal served
over HTTPS); a therapist's cookie is valid on the whole portal, a family member's only under
its own link (``/f/<link id>``). Every form carries a CSRF token: the signed-in session's, or
before sign-in a random one also set as a cookie (double submit). Pages are never cached and
may not be framed; the Content-Security-Policy allows no script at all (there is none) and
styles only from the portal itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from game.levels import LevelSpec
from game.portal.auth import same_token, token_hash
from game.portal.views import StatsCache, unit_text
from game.storage.portal_store import PortalSession, PortalStore, Therapist
from game.storage.protocol import HistoryReader, MetaStore, PatientStore

HERE = Path(__file__).resolve().parent
THERAPIST_COOKIE = "mp_session"
FAMILY_COOKIE = "mp_family"
FORM_COOKIE = "mp_form"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class PortalDb(PatientStore, HistoryReader, MetaStore, Protocol):
    """What the portal reads and writes of the game's database (roles of storage's Store)."""


@dataclass
class Services:
    """Everything the handlers use; `now_s` is the wall clock (tests pass their own)."""

    db: PortalDb
    store: PortalStore
    levels: Mapping[str, LevelSpec]
    now_s: Callable[[], float]
    secure_cookies: bool = False
    setup_code: str | None = None
    """Printed on the console at the first start; the setup page asks for it."""
    stats: StatsCache = field(default_factory=StatsCache)

    def today(self) -> date:
        return datetime.fromtimestamp(self.now_s(), UTC).date()

    def level_reps(self) -> dict[str, int]:
        return {k: int(getattr(v.params, "reps", 0)) for k, v in self.levels.items()}


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    env.filters["unit"] = unit_text
    return Jinja2Templates(env=env)


TEMPLATES = make_templates()


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    """Render a template with the security headers."""
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response


def not_found(request: Request) -> Response:
    return page(request, "error.html", {"title": "Not found", "message": "There is no such page."}, 404)


def redirect(url: str) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    response.headers.update(SECURITY_HEADERS)
    return response


def set_cookie(
    response: Response,
    services: Services,
    key: str,
    value: str,
    *,
    path: str = "/",
    max_age: int | None = None,
) -> None:
    response.set_cookie(
        key,
        value,
        max_age=max_age,
        path=path,
        secure=services.secure_cookies,
        httponly=True,
        samesite="strict",
    )


def signed_in(request: Request, services: Services) -> tuple[PortalSession, Therapist] | None:
    """The therapist session of this browser, or None."""
    token = request.cookies.get(THERAPIST_COOKIE, "")
    if not token:
        return None
    session = services.store.get_portal_session(token_hash(token), services.now_s())
    if session is None or session.kind != "therapist":
        return None
    account = services.store.get_therapist(session.subject)
    return None if account is None else (session, account)


def family_session(request: Request, services: Services, link_id: str) -> PortalSession | None:
    """The family session of this browser for `link_id` (never another link's), or None."""
    token = request.cookies.get(FAMILY_COOKIE, "")
    if not token:
        return None
    session = services.store.get_portal_session(token_hash(token), services.now_s())
    if session is None or session.kind != "family" or session.subject != link_id:
        return None
    link = services.store.get_family_link(link_id)
    return session if link is not None and link.revoked_at is None else None


def form_token(request: Request) -> str:
    """The pre-sign-in CSRF token: the browser's form cookie, or a new one."""
    return request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)


def with_form_cookie(response: Response, services: Services, token: str, path: str = "/") -> Response:
    set_cookie(response, services, FORM_COOKIE, token, path=path)
    return response


def form_ok(form: Mapping[str, Any], expected: str) -> bool:
    return same_token(str(form.get("csrf", "")), expected)


def plain(form: Mapping[str, Any]) -> dict[str, str]:
    """A submitted form as text fields only (uploads are never accepted)."""
    return {k: v for k, v in form.items() if isinstance(v, str)}


def forbidden(request: Request) -> Response:
    return page(
        request,
        "error.html",
        {"title": "Form expired", "message": "The form was too old or not ours. Go back and try again."},
        403,
    )


def html(text: str, status: int = 200) -> HTMLResponse:
    response = HTMLResponse(text, status_code=status)
    response.headers.update(SECURITY_HEADERS)
    return response
