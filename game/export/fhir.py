"""HL7 FHIR R4 export: a ``collection`` Bundle a clinic system can import and resolve.

What goes in (every resource has a ``urn:uuid`` fullUrl; references point inside the Bundle):

- one ``Patient`` (identifier = the MirrorPlay patient id or its pseudonym; the alias, when
  exported, as an ``anonymous`` name: MirrorPlay keeps no real names);
- one ``Device``: the webcam with markerless pose estimation (MediaPipe Pose) that measured
  the movement; every movement Observation names it in ``device``;
- per session: exercise duration in minutes (LOINC 55411-3, category ``activity``, over the
  session's period), pain before and after on the 0-10 numeric rating scale (LOINC 72514-3,
  category ``survey``, at the start and the end), repetitions done (local code);
- per set: every measure of its summary (level result) and its stars, over the set's own
  period (session start + the set's first cue to its last rep end);
- per rep, only with ``include_reps=True``: every measure and yes/no flag of the rep, over the
  rep's own period.

Every set and rep Observation carries the level as a coded component (local level code system,
display = the level's title) and its set (and rep) number as integer components, so two sets of
one level never make twin Observations. The arm a measure is of (game/scoring/catalog.py
``limb``) becomes ``bodySite`` (SNOMED CT structure of the left/right upper limb; "left" and
"right" are the patient's own sides); bilateral, trunk and balance measures have none.

Codes: LOINC where the catalogue has one, else the local code system with the metric name as
code. Units are UCUM; a measure without a unit carries no unit. Parameters and timings (what a
level asked for, onset times) are left to the CSV. A NaN (unmeasured) value is left out; a
finite value flagged unreliable carries a note saying so. Resource ids are UUID-5s of each
resource's key, so exporting the same data twice gives the same Bundle.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta
from typing import Any

from game.export.data import DATE_SHIFT_NOTE, UCUM, ExportData, as_float, metric_coding, pseudonymise
from game.export.measures import Measure, measures
from game.scoring.catalog import LOCAL_SYSTEM, info

OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SNOMED = "http://snomed.info/sct"
PATIENT_ID_SYSTEM = "https://mirrorplay.invalid/fhir/NamingSystem/patient-id"
LEVEL_SYSTEM = "https://mirrorplay.invalid/fhir/CodeSystem/levels"
COMPONENT_SYSTEM = "https://mirrorplay.invalid/fhir/CodeSystem/components"
UPPER_LIMB = {"left": ("80768000", "Structure of left upper limb"),
              "right": ("6921000", "Structure of right upper limb")}  # fmt: skip
"""SNOMED CT body structures of each upper limb (the patient's own left and right)."""
DEVICE_NAME = "MirrorPlay webcam pose tracking (MediaPipe Pose)"
SHIFTED_META = {
    "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue",
                  "code": "PSEUDED", "display": "pseudonymized"}],
    "tag": [{"system": LOCAL_SYSTEM, "code": "dates-shifted", "display": DATE_SHIFT_NOTE}],
}  # fmt: skip
"""Bundle ``meta`` of a pseudonymised export: HL7's PSEUDED label and the date-shift note."""
UNRELIABLE_NOTE = "Unreliable: too little tracked movement data."
_NS = uuid.UUID("5f1d7c4e-0b7a-4c55-9a53-6d1f2f7b9e10")  # namespace for deterministic ids


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
        Also export every repetition's measures (large).
    timestamp : str, optional
        ISO-8601 time the Bundle was assembled (passed in; no clock is read here).
    shift_days : int, optional
        Pseudonymised only: the date offset (random when None, see
        :func:`game.export.data.pseudonymise`); the Bundle then carries no timestamp and its
        ``meta`` says the dates are shifted.
    """
    if pseudonymise_id:
        data = pseudonymise(data, salt, shift_days)
    patient = _patient(data)
    device = _device(data)
    ctx = _Context(data, {"reference": _url(patient)} | _display(data), {"reference": _url(device)})
    resources = [patient, device]
    sessions = sorted(data.sessions, key=lambda s: (str(s.get("started_at", "")), str(s.get("id"))))
    for s in sessions:
        resources += _session_observations(ctx, s)
    for m in measures(data):
        if m.rep_number == 0 or include_reps:
            obs = _measure_observation(ctx, m)
            resources += [obs] if obs else []
    bundle: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    bundle["id"] = _uuid(data.patient_id, "bundle", *(r["id"] for r in resources))
    if data.dates_shifted:
        bundle["meta"] = SHIFTED_META
    elif timestamp:  # the export time would reveal the offset of a shifted export
        bundle["timestamp"] = timestamp
    bundle["entry"] = [{"fullUrl": _url(r), "resource": r} for r in resources]
    return bundle


class _Context:
    """What every Observation of one Bundle shares."""

    def __init__(self, data: ExportData, subject: dict[str, Any], device: dict[str, Any]) -> None:
        self.data, self.subject, self.device = data, subject, device
        self.starts = {str(s.get("id")): s.get("started_at") for s in data.sessions}


def _uuid(*parts: Any) -> str:
    return str(uuid.uuid5(_NS, "|".join(str(p) for p in parts)))


def _url(resource: dict[str, Any]) -> str:
    return f"urn:uuid:{resource['id']}"


def _display(data: ExportData) -> dict[str, str]:
    return {"display": data.alias} if data.alias else {}


def _patient(data: ExportData) -> dict[str, Any]:
    patient: dict[str, Any] = {"resourceType": "Patient", "id": _uuid(data.patient_id, "patient")}
    patient["identifier"] = [{"system": PATIENT_ID_SYSTEM, "value": data.patient_id}]
    if data.alias:
        patient["name"] = [{"use": "anonymous", "text": data.alias}]
    return patient


def _device(data: ExportData) -> dict[str, Any]:
    return {
        "resourceType": "Device",
        "id": _uuid(data.patient_id, "device"),
        "deviceName": [{"name": DEVICE_NAME, "type": "user-friendly-name"}],
        "type": {"text": "Webcam with markerless pose estimation (no video is stored)"},
    }


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def _at(start: Any, seconds: float) -> str | None:
    """`start` (ISO-8601) plus `seconds`, or None when either is unusable."""
    if not isinstance(start, str) or not math.isfinite(seconds):
        return None
    try:
        t = datetime.fromisoformat(start.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (t + timedelta(seconds=seconds)).isoformat()


def _effective(start: Any, span: tuple[float, float]) -> dict[str, Any]:
    """effectivePeriod over `span` seconds after `start`; the start itself when unknown."""
    a, b = _at(start, span[0]), _at(start, span[1])
    if a and b:
        return {"effectivePeriod": {"start": a, "end": b}}
    return {"effectiveDateTime": start} if isinstance(start, str) and start else {}


def _quantity(value: float, unit: str) -> dict[str, Any]:
    if not unit:
        return {"value": value}
    return {"value": value, "unit": unit, "system": UCUM, "code": unit}


def _observation(
    ctx: _Context, key: tuple[Any, ...], name: str, value: dict[str, Any], category: list[dict[str, Any]],
    when: dict[str, Any],
) -> dict[str, Any]:  # fmt: skip
    coding = metric_coding(name)
    obs: dict[str, Any] = {"resourceType": "Observation", "id": _uuid(ctx.data.patient_id, *key)}
    obs |= {"status": "final", "category": category, "code": {"coding": [coding], "text": coding["display"]}}
    obs |= {"subject": dict(ctx.subject)} | when | value
    return obs


def _session_observations(ctx: _Context, s: dict[str, Any]) -> list[dict[str, Any]]:
    sid, start = str(s.get("id")), s.get("started_at")
    end = s.get("ended_at") or start
    reps = sum(1 for r in ctx.data.reps if str(r.get("session_id")) == sid)
    activity, survey = _category("activity", "Activity"), _category("survey", "Survey")
    period = {"effectivePeriod": {"start": start, "end": end}} if start and end else {}
    out = []
    minutes = as_float(s.get("active_s")) / 60.0
    if math.isfinite(minutes):
        obs = _observation(ctx, ("session", sid, "active_min"), "active_min",
                           {"valueQuantity": _quantity(minutes, "min")}, activity, period)  # fmt: skip
        out.append(obs | {"device": dict(ctx.device)})
    for name, when in (("pain_before", start), ("pain_after", end)):
        pain = s.get(name)
        if isinstance(pain, int) and not isinstance(pain, bool):
            value = {"valueQuantity": _quantity(float(pain), "{score}")}
            out.append(_observation(ctx, ("session", sid, name), name, value, survey,
                                    {"effectiveDateTime": when}))  # fmt: skip
    value = {"valueQuantity": _quantity(float(reps), "{count}")}
    out.append(_observation(ctx, ("session", sid, "reps_done"), "reps_done", value, activity, period))
    return out


def _measure_observation(ctx: _Context, m: Measure) -> dict[str, Any] | None:
    """The Observation of one set or rep measure; None for NaN, parameters and timings."""
    if m.kind in ("parameter", "timing") or not math.isfinite(m.value):
        return None
    value: dict[str, Any] = {"valueQuantity": _quantity(m.value, m.unit)}
    if m.kind == "flag":
        value = {"valueBoolean": bool(m.value)}
    when = _effective(ctx.starts.get(m.session_id), (m.start_s, m.end_s))
    obs = _observation(ctx, m.key, m.metric, value, _category("activity", "Activity"), when)
    site = _body_site(m.metric, ctx.data.affected_side)
    if site:
        obs["bodySite"] = site
    obs["device"] = dict(ctx.device)
    obs["component"] = _components(ctx, m)
    if not m.reliable:
        obs["note"] = [{"text": UNRELIABLE_NOTE}]
    return obs


def _components(ctx: _Context, m: Measure) -> list[dict[str, Any]]:
    title = ctx.data.level_titles.get(m.level_id, m.level_id)
    level = {"coding": [{"system": LEVEL_SYSTEM, "code": m.level_id, "display": title}], "text": title}
    out: list[dict[str, Any]] = [
        {"code": _component_code("level", "Level"), "valueCodeableConcept": level},
        {
            "code": _component_code("set-number", "Set number within the session"),
            "valueInteger": m.set_number,
        },
    ]
    if m.rep_number:
        out.append({"code": _component_code("rep-number", "Repetition number within the set"),
                    "valueInteger": m.rep_number})  # fmt: skip
    return out


def _component_code(code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": COMPONENT_SYSTEM, "code": code, "display": display}], "text": display}


def _body_site(metric: str, affected_side: str) -> dict[str, Any] | None:
    """SNOMED CT upper limb of the arm a measure is of (None for bilateral/trunk/balance)."""
    entry = info(metric)
    if entry is None or entry.limb not in ("driving", "affected") or affected_side not in UPPER_LIMB:
        return None
    side = affected_side if entry.limb == "affected" else ("right" if affected_side == "left" else "left")
    code, display = UPPER_LIMB[side]
    return {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display}
