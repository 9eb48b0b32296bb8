"""The therapist's session plan editor: ordered steps ``{level, sets, reps, rest_s}``.

Up/Down choose a step or a button; on a step, Enter picks which part Left/Right changes
(level, sets, reps, rest); the buttons (Add, Remove, Move up, Move down, Save, Back) act on the
last chosen step. Save validates through ``PatientSettings`` and writes with
``Database.update_patient_settings(..., who="therapist")`` (logged with its time).
"""

from __future__ import annotations

import math
from typing import Any

import pygame

from game.actions import Act, Action
from game.i18n import N_, Msg, Text, _, active, ngettext
from game.render import theme as T
from game.render.icons import draw_icon
from game.render.widgets import Menu, column, fit_text, panel, text
from game.scenes.base import Pop, Quit, Scene, Target, Transition
from game.scenes.kit import draw_backdrop, follow_saved_patient, menu_targets
from game.scenes.services import AppServices
from game.scenes.therapist_settings import STEPS
from game.session.plan import allowed_levels, build_plan
from game.storage.records import Patient, utc_now
from game.therapist.settings_schema import SPEC_BY_NAME, SettingsError, diff, settings_of


def _parts(title: str, step: dict[str, Any]) -> list[str]:
    """The words of one plan step, in the active language: level, sets, reps, rest."""
    return [title, ngettext("{n} set", "{n} sets", step["sets"]).format(n=step["sets"]),
            ngettext("{n} rep", "{n} reps", step["reps"]).format(n=step["reps"]),
            _("rest {n} s").format(n=active().decimal(step["rest_s"]))]  # fmt: skip


PLAN_FIELDS = ("level", "sets", "reps", "rest_s")


class PlanEditorScene(Scene):
    """The session plan: ordered steps ``{level, sets, reps, rest_s}``; add, remove, move.

    Up/Down choose a step or a button; on a step, Enter picks which part Left/Right changes
    (level, sets, reps, rest). Buttons act on the last chosen step.
    """

    autoplay_after_s = None
    therapist_screen = True
    VISIBLE = 8
    BUTTONS = (("add", N_("Add"), "plus"), ("remove", N_("Remove"), "minus"), ("up", N_("Move up"), "up"),
               ("down", N_("Move down"), "down"), ("save", N_("Save"), "save"),
               ("back", N_("Back"), "back"))  # fmt: skip

    def __init__(self, app: AppServices, patient: Patient) -> None:
        super().__init__(app)
        self.patient = patient
        self.saved = settings_of(patient)
        self.steps: list[dict[str, Any]] = [dict(s) for s in self.saved.plan]
        self.focus = 0
        self.selected = 0
        self.field = 0
        self.message: Text = ""
        self.buttons = Menu(column(list(self.BUTTONS), x=930, y=100, w=320, h=88, gap=14))
        self.buttons.focus = -1 if self.steps else 0
        self.focus = 0
        self.first = 0
        """First step in view (the list scrolls when there are more than VISIBLE steps)."""
        self.pager = Menu(column([("prev", N_("Earlier steps"), "up")], x=30, y=612, w=430, h=66)
                          + column([("next", N_("Later steps"), "down")], x=480, y=612, w=430,
                                   h=66))  # fmt: skip
        self.pager.focus = -1  # pointer and dwell only; the arrows scroll by themselves
        self._confirm_back = False

    @property
    def n_items(self) -> int:
        return len(self.steps) + len(self.BUTTONS)

    def _level_ids(self) -> list[str]:
        """Levels a step may name: standing ones are left out for a "seated only" patient."""
        return list(allowed_levels(self.app.levels, self.saved.seated_only))

    def handle(self, action: Action) -> Transition | None:
        act = action.act
        if act is Act.QUIT:
            return Quit()
        if act is Act.BACK:
            return self.back()
        if act is not Act.POINT:
            self._confirm_back = False
        if act in (Act.UP, Act.DOWN):
            self.focus = (self.focus + (1 if act is Act.DOWN else -1)) % self.n_items
            if self.focus < len(self.steps):
                self.selected = self.focus
                self.buttons.focus = -1  # one focus ring on screen at a time
                self.scroll_to(self.focus)
            else:
                self.buttons.focus = self.focus - len(self.steps)
        elif act in (Act.LEFT, Act.RIGHT) and self.focus < len(self.steps):
            self.change(1 if act is Act.RIGHT else -1)
        elif act is Act.SELECT:
            if self.focus < len(self.steps):
                self.field = (self.field + 1) % len(PLAN_FIELDS)
                return None
            return self.press(self.BUTTONS[self.focus - len(self.steps)][0])
        elif act in (Act.POINT, Act.CLICK):
            return self._pointer(action)
        return None

    def _pointer(self, action: Action) -> Transition | None:
        """The pointer: a click on a step chooses it and its next part; a button or page
        button pointed at takes the one focus ring (no second ring stays on a step)."""
        key = self.buttons.handle(action)
        if self.buttons.dwell.hover is not None:
            self.focus = len(self.steps) + self.buttons.focus
        for i in self.visible():
            if (
                action.pos is not None
                and self._step_rect(i).collidepoint(action.pos)
                and action.act is Act.CLICK
            ):
                self.focus = self.selected = i
                self.field = (self.field + 1) % len(PLAN_FIELDS)
        page = self.pager.handle(action) if len(self.steps) > self.VISIBLE else None
        self.pager.focus = -1
        self._sync_rings()
        if page is not None:
            self.page(page)
        return self.press(key) if key is not None else None

    def _sync_rings(self) -> None:
        """One focus ring: on the focused step, or on the focused button."""
        on_button = self.focus >= len(self.steps)
        self.buttons.focus = self.focus - len(self.steps) if on_button else -1

    def rings(self) -> int:
        """How many focus rings the screen shows (always one)."""
        self._sync_rings()
        return int(self.focus < len(self.steps)) + int(self.buttons.focus >= 0) + int(self.pager.focus >= 0)

    def unsaved(self) -> bool:
        return [dict(s) for s in self.saved.plan] != self.steps

    def back(self) -> Transition | None:
        """Back: with an unsaved plan, ask first (Back again discards it)."""
        if self.unsaved() and not self._confirm_back:
            self._confirm_back = True
            self.message = N_("Unsaved plan: Back again to discard it, or choose Save.")
            return None
        return Pop()

    def update(self, dt_s: float) -> Transition | None:
        page = self.pager.update(dt_s) if len(self.steps) > self.VISIBLE else None
        if page is not None:
            self.page(page)
        key = self.buttons.update(dt_s)
        return self.press(key) if key is not None else None

    def targets(self) -> list[Target]:
        steps = [Target(f"step{i}", tuple(self._step_rect(i))) for i in self.visible()]  # type: ignore[arg-type]
        pager = [Target(t.key, t.rect, keys=False) for t in menu_targets(self.pager)]
        return steps + menu_targets(self.buttons) + (pager if len(self.steps) > self.VISIBLE else [])

    def focused(self) -> str | None:
        if self.focus < len(self.steps):
            return f"step{self.focus}"
        return self.BUTTONS[self.focus - len(self.steps)][0]

    def visible(self) -> range:
        """Indices of the steps in view."""
        return range(self.first, min(self.first + self.VISIBLE, len(self.steps)))

    def scroll_to(self, i: int) -> None:
        """Scroll the least needed for step `i` to be in view."""
        self.first = min(max(self.first, i - self.VISIBLE + 1), i)
        self.first = max(0, min(self.first, len(self.steps) - self.VISIBLE))

    def page(self, key: str) -> None:
        """Turn a page of steps ("prev"/"next"); the chosen step follows into view."""
        step = -self.VISIBLE if key == "prev" else self.VISIBLE
        self.first = max(0, min(self.first + step, len(self.steps) - self.VISIBLE))
        self.selected = min(max(self.selected, self.first), self.first + self.VISIBLE - 1)
        if self.focus < len(self.steps):
            self.focus = self.selected

    def change(self, direction: int) -> None:
        step = self.steps[self.selected]
        name = PLAN_FIELDS[self.field]
        if name == "level":
            ids = self._level_ids()
            i = ids.index(step["level"]) if step["level"] in ids else 0
            step["level"] = ids[(i + direction) % len(ids)]
            return
        spec = SPEC_BY_NAME[name]
        new = step[name] + direction * STEPS.get(name, 1)
        if not float(spec.min or 0) <= new <= float(spec.max or math.inf):
            self.message = N_("{setting} must be {low} to {high}", setting=Msg(spec.label),
                              low=active().decimal(spec.min or 0.0),
                              high=active().decimal(spec.max or 0.0))  # fmt: skip
            return
        step[name] = int(new) if spec.type is int else float(new)
        self.message = ""

    def press(self, key: str) -> Transition | None:
        s = self.selected
        if key == "add":
            ids = self._level_ids()
            self.steps.insert(
                s + 1 if self.steps else 0,
                {
                    "level": ids[0],
                    "sets": self.saved.sets,
                    "reps": self.saved.reps,
                    "rest_s": self.saved.rest_s,
                },
            )
            self.selected = min(s + 1, len(self.steps) - 1) if len(self.steps) > 1 else 0
        elif key == "remove" and self.steps:
            del self.steps[s]
            self.selected = max(0, min(s, len(self.steps) - 1))
        elif key in ("up", "down") and self.steps:
            t = s - 1 if key == "up" else s + 1
            if 0 <= t < len(self.steps):
                self.steps[s], self.steps[t] = self.steps[t], self.steps[s]
                self.selected = t
        elif key == "save":
            return self.save()
        elif key == "back":
            return self.back()
        self.focus = min(self.focus, self.n_items - 1)
        if self.steps:
            self.scroll_to(self.selected)
        return None

    def save(self) -> Transition | None:
        try:
            new = self.saved.with_change("plan", self.steps)
        except SettingsError as err:
            self.message = N_("Not saved - {reason}", reason=str(err))
            return None
        if not diff(self.saved, new):
            self.message = N_("Nothing changed.")
            return None
        reason = "therapist edit of the session plan"
        self.app.db.update_patient_settings(
            self.patient.id, new.to_mapping(), who="therapist", reason=reason, at=utc_now()
        )
        self.saved = new
        self.message = N_("Plan saved.")
        self.patient = self.app.db.get_patient(self.patient.id) or self.patient
        return follow_saved_patient(self.app, self.patient)

    def empty_lines(self) -> list[str]:
        """What an empty plan plays: the shipped default plan, level by level."""
        if self.steps:
            return []
        default = build_plan(self.app.levels, None)
        lines = [_("Empty: the default plan is played. Choose Add to make your own:")]
        titles: list[str] = []
        for item in default:
            if not titles or titles[-1] != str(item.spec.title):
                titles.append(str(item.spec.title))
        return lines + [f"  {i + 1}. {t}" for i, t in enumerate(titles[:10])]

    def _step_rect(self, i: int) -> pygame.Rect:
        return pygame.Rect(30, 100 + (i - self.first) * 62, 880, 54)

    def draw(self, surface: pygame.Surface) -> None:
        draw_backdrop(self.app, surface)
        draw_icon(surface, "list", (66, 50), 54)
        title = _("{name}: session plan").format(name=self.patient.alias)
        fit_text(surface, title, (104, 50), 50, 600, T.TEXT, "midleft", bold=True)
        for i, line in enumerate(self.empty_lines()):
            text(surface, line, (60, 120 + i * 40), 32, T.TEXT_DIM if i else T.TEXT)
        if len(self.steps) > self.VISIBLE:
            last = self.visible().stop
            steps = _("Steps {first}-{last} of {total}").format(
                first=self.first + 1, last=last, total=len(self.steps)
            )
            text(surface, steps, (910, 50), 30, T.TEXT_DIM, "midright")
            self.pager.draw(surface)
        for i in self.visible():
            step = self.steps[i]
            r = self._step_rect(i)
            chosen = i == self.selected
            panel(surface, (r.x, r.y, r.w, r.h), T.PANEL, 235, 12)
            focused = i == self.focus
            pygame.draw.rect(surface, T.FOCUS if focused else (T.SKY if chosen else T.TEXT_DIM), r,
                             5 if focused else 2, border_radius=12)  # fmt: skip
            spec = self.app.levels.get(step["level"])
            draw_icon(surface, spec.icon if spec else "target", (r.x + 30, r.centery), 38)
            parts = _parts(_(spec.title) if spec else step["level"], step)
            x = r.x + 60
            for k, part in enumerate(parts):
                hot = chosen and k == self.field
                rect = text(
                    surface, part, (x, r.centery), 34, T.YELLOW if hot else T.TEXT, "midleft", bold=hot
                )
                if hot:
                    pygame.draw.line(surface, T.YELLOW, rect.bottomleft, rect.bottomright, 3)
                x = rect.right + 30
        self._sync_rings()
        self.buttons.draw(surface)
        hint = self.message or _("Enter: choose level / sets / reps / rest.  Left/Right: change it.")
        text(surface, hint, (40, 712), 30, T.YELLOW if self.message else T.TEXT_DIM, "bottomleft")
