"""HL7 FHIR R4 export: a ``collection`` Bundle of ``Observation`` resources a clinic can import.

What goes in (one Observation each, status ``final``, category ``activity``):

- per session: exercise duration in minutes (LOINC 55411-3), pain before/after on the 0-10
  NRS (LOINC 72514-3, effective at the start/end of the session), repetitions done (local);
- per level result: every metric and the stars (local codes, effective at the session start);
- per rep, only with ``include_reps=True``: every rep metric, effective at cue time + rep end.

Codes: LOINC where a code exists (see :data:`game.export.data.STANDARD_CODES`), otherwise the
local code system ``https://mirrorplay.invalid/fhir/CodeSystem/metrics`` with the metric name as
code. Units are UCUM (``system = http://unitsofmeasure.org``). A NaN (unreliable) value is left
out; a finite value flagged unreliable carries a note saying so. Resource ids are UUID-5s of the
content, so exporting the same data twice gives the same Bundle.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from game.export.data import (
    DATE_SHIFT_NOTE,
    LOCAL_SYSTEM,
    UCUM,
    ExportData,
    as_float,
    metric_coding,
    pseudonymise,
    unit_for_metric,
)

CATEGORY = {
    "coding": [{
        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
        "code": "activity", "display": "Activity",
    }]
}  # fmt: skip
PATIENT_ID_SYSTEM = "https://mirrorplay.invalid/fhir/NamingSystem/patient-id"
SHIFTED_META = {
    "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                  "code": "PSEUDED", "display": "pseudonymized"}],
    "tag": [{"system": LOCAL_SYSTEM, "code": "dates-shifted", "display": DATE_SHIFT_NOTE}],
}  # fmt: skip
"""Bundle ``meta`` of a pseudonymised export: HL7's PSEUDED label and the date-shift note."""
_NS = uuid.UUID("5f1d7c4e-0b7a-4c55-9a53-6d1f2f7b9e10")  # namespace for deterministic ids
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def fhir_bundle(
    data: ExportData,
    *,
    pseudonymise_id: bool = False,
    salt: str = "",
    include_reps: bool = False,
    timestamp: str | None = None,
    shift_days: int | None = None,
) -> dict[str, Any]:
    """Build the Bundle as a JSON-able dict (write it with ``json.dump``).

    Parameters
    ----------
    pseudonymise_id : bool
        Replace the patient id by a stable salted pseudonym and drop the alias.
    salt : str
        Secret salt for the pseudonym (at least 8 characters); keep it to link later exports.
    include_reps : bool
        Also export every repetition's metrics (large).
    timestamp : str, optional
        ISO-8601 time the Bundle was assembled (passed in; no clock is read here).
    shift_days : int, optional
        Pseudonymised only: the date offset (random when None, see
        :func:`game.export.data.pseudonymise`); the Bundle then carries no timestamp and its
        ``meta`` says the dates are shifted.
    """
    if pseudonymise_id:
        data = pseudonymise(data, salt, shift_days)
    subject = _subject(data)
    observations: list[dict[str, Any]] = []
    sessions = {str(s.get("id")): s for s in data.sessions}
    for sid, s in sorted(sessions.items(), key=lambda kv: str(kv[1].get("started_at", ""))):
        observations += _session_observations(data, sid, s, subject)
    for res in data.level_results:
        s = sessions.get(str(res.get("session_id")), {})
        metrics = {**dict(res.get("metrics", {})), "stars": res.get("stars")}
        flags = res.get("reliable", {}) or {}
        for name in sorted(metrics):
            obs = _observation(name, metrics[name], s.get("started_at"), subject,
                               f"Level {res.get('level_id')}", bool(flags.get(name, True)))  # fmt: skip
            observations += [obs] if obs else []
    if include_reps:
        for rep in data.reps:
            observations += _rep_observations(rep, sessions, subject)
    entries: list[dict[str, Any]] = []
    for i, obs in enumerate(observations):  # the index keeps twin observations' ids unique
        oid = str(uuid.uuid5(_NS, f"{data.patient_id}|{i}|{json.dumps(obs, sort_keys=True)}"))
        entries.append(
            {"fullUrl": f"urn:uuid:{oid}", "resource": {"resourceType": "Observation", "id": oid, **obs}}
        )
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    bundle["id"] = str(uuid.uuid5(_NS, data.patient_id + "".join(e["fullUrl"] for e in entries)))
    if data.dates_shifted:
        bundle["meta"] = SHIFTED_META
    elif timestamp:  # the export time would reveal the offset of a shifted export
        bundle["timestamp"] = timestamp
    bundle["entry"] = entries
    return bundle


def _subject(data: ExportData) -> dict[str, Any]:
    subject: dict[str, Any] = {"identifier": {"system": PATIENT_ID_SYSTEM,
                                              "value": data.patient_id}}  # fmt: skip
    if _FHIR_ID.match(data.patient_id):
        subject["reference"] = f"Patient/{data.patient_id}"
    if data.alias:
        subject["display"] = data.alias
    return subject


def _session_observations(
    data: ExportData, sid: str, s: dict[str, Any], subject: dict[str, Any]
) -> list[dict[str, Any]]:
    start, end = s.get("started_at"), s.get("ended_at") or s.get("started_at")
    reps = [r for r in data.reps if str(r.get("session_id")) == sid]
    candidates = [
        ("active_min", as_float(s.get("active_s")) / 60.0, start, "Active exercise time"),
        ("pain_before", s.get("pain_before"), start, "Before the session"),
        ("pain_after", s.get("pain_after"), end, "After the session"),
        ("reps_done", len(reps), start, "Repetitions in the session"),
    ]
    out = []
    for name, value, when, note in candidates:
        if value is None:
            continue
        obs = _observation(name, value, when, subject, note, True)
        out += [obs] if obs else []
    return out


def _rep_observations(
    rep: dict[str, Any], sessions: dict[str, dict[str, Any]], subject: dict[str, Any]
) -> list[dict[str, Any]]:
    start = sessions.get(str(rep.get("session_id")), {}).get("started_at")
    when = _offset(start, as_float(rep.get("t_end_s", 0.0)))
    flags = rep.get("reliable", {}) or {}
    metrics = {**dict(rep.get("metrics", {}))}
    metrics.setdefault("success", rep.get("success"))
    note = (f"Level {rep.get('level_id')}, set {rep.get('set_index')}, "
            f"rep {rep.get('rep_index')}")  # fmt: skip
    out = []
    for name in sorted(metrics):
        if metrics[name] is None:
            continue
        obs = _observation(name, metrics[name], when, subject, note, bool(flags.get(name, True)))
        out += [obs] if obs else []
    return out


def _offset(start: Any, seconds: float) -> str | None:
    if not isinstance(start, str):
        return None
    try:
        t = datetime.fromisoformat(start.replace("Z", "+00:00"))
    except ValueError:
        return start
    return (t + timedelta(seconds=seconds if math.isfinite(seconds) else 0.0)).isoformat()


def _observation(
    name: str, value: Any, when: Any, subject: dict[str, Any], note: str, reliable: bool
) -> dict[str, Any] | None:
    number = as_float(value)
    if not math.isfinite(number):
        return None  # unreliable NaN: nothing to report
    coding = metric_coding(name)
    unit = unit_for_metric(name)
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": [CATEGORY],
        "code": {"coding": [coding], "text": coding["display"]},
        "subject": dict(subject),
    }
    if isinstance(when, str) and when:
        obs["effectiveDateTime"] = when
    obs["valueQuantity"] = {"value": number, "unit": unit, "system": UCUM, "code": unit}
    notes = [note] + ([] if reliable else ["Unreliable: too little tracked movement data."])
    obs["note"] = [{"text": n} for n in notes]
    return obs
