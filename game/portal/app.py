"""The portal as a Starlette application: routes to the therapist and family handlers.

:func:`create_app` takes its services (the database roles, the portal store, the levels, the
clock) so tests and the benchmark start the real application on their own data.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from game.portal import family, pages
from game.portal.web import HERE, Services, not_found, redirect


def create_app(services: Services) -> Starlette:
    """The portal application over `services`."""
    t = pages.handlers(services)
    f = family.handlers(services)

    async def home(request: Request) -> Response:
        return redirect("/patients")

    async def missing(request: Request, exc: Exception) -> Response:
        return not_found(request)

    routes = [
        Route("/", home),
        Route("/setup", t["setup"], methods=["GET", "POST"]),
        Route("/login", t["login"], methods=["GET", "POST"]),
        Route("/logout", t["logout"], methods=["POST"]),
        Route("/patients", t["patients"]),
        Route("/patients/{pid}", t["patient"]),
        Route("/patients/{pid}/sessions/{sid:int}", t["session"]),
        Route("/patients/{pid}/settings", t["settings"], methods=["GET", "POST"]),
        Route("/patients/{pid}/links", t["links"], methods=["POST"]),
        Route("/patients/{pid}/export/{name}", f["download"]),
        Route("/therapists", t["therapists"], methods=["GET", "POST"]),
        Route("/f/{link_id}", f["family"], methods=["GET", "POST"], name="family"),
        Route("/f/{link_id}/progress", f["progress"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    return Starlette(routes=routes, exception_handlers={404: missing})
