"""The FHIR Bundle a clinic imports, validated with fhir.resources (R4B models: R4's Patient,
Device, Observation and Bundle are unchanged in R4B), on a session played through the real loop."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from game.export.data import ExportData
from game.export.fhir import COMPONENT_SYSTEM, LEVEL_SYSTEM, SNOMED, fhir_bundle
from game.export.writer import export_data
from game.storage import Store


@pytest.fixture
def data(played: Store) -> ExportData:
    patient = played.get_patient("demo")
    assert patient is not None
    return export_data(played, patient)


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _component(obs: dict[str, Any], code: str) -> Any:
    for c in obs.get("component", []):
        coding = c["code"]["coding"][0]
        if coding["system"] == COMPONENT_SYSTEM and coding["code"] == code:
            return c.get("valueInteger", c.get("valueCodeableConcept"))
    return None


@pytest.mark.parametrize("reps", [False, True])
def test_bundle_validates_and_every_reference_resolves(data: ExportData, reps: bool) -> None:
    """Before, subject.reference was 'Patient/<id>' with no Patient in the collection."""
    bundle = fhir_bundle(data, include_reps=reps, timestamp="2026-03-01T12:00:00Z")
    Bundle.model_validate(json.loads(json.dumps(bundle, allow_nan=False)))
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert len(urls) == len(bundle["entry"])
    [patient] = _resources(bundle, "Patient")
    [device] = _resources(bundle, "Device")
    assert patient["identifier"][0]["value"] == "demo"
    for obs in _resources(bundle, "Observation"):
        assert obs["subject"]["reference"] == f"urn:uuid:{patient['id']}" in urls
        if "device" in obs:
            assert obs["device"]["reference"] == f"urn:uuid:{device['id']}"
        assert obs["status"] == "final"


def test_no_twin_observations_and_the_level_is_coded(data: ExportData) -> None:
    """Before, two sets of one level gave twin Observations and the level was free text."""
    bundle = fhir_bundle(data, include_reps=True)
    seen: Counter[tuple[Any, ...]] = Counter()
    for obs in _resources(bundle, "Observation"):
        level = _component(obs, "level")
        when = json.dumps(obs.get("effectivePeriod") or obs.get("effectiveDateTime"))
        key = (obs["code"]["coding"][0]["code"], when, level and level["coding"][0]["code"],
               _component(obs, "set-number"), _component(obs, "rep-number"))  # fmt: skip
        seen[key] += 1
        if level is not None:
            assert (
                level["coding"][0]["system"] == LEVEL_SYSTEM
                and level["text"] == data.level_titles[level["coding"][0]["code"]]
            )
    assert [k for k, n in seen.items() if n > 1] == []
    sparc = [
        o for o in _resources(fhir_bundle(data), "Observation") if o["code"]["coding"][0]["code"] == "sparc"
    ]
    sparc_sets = sorted(_component(o, "set-number") for o in sparc
                        if _component(o, "level")["coding"][0]["code"] == "reach-apples")  # fmt: skip
    assert sparc_sets == [1, 2]


def test_each_result_at_its_own_time(data: ExportData, played: Store) -> None:
    """Before, every level result was timestamped at the session start."""
    bundle = fhir_bundle(data, include_reps=True)
    [session] = played.sessions("demo")
    start = datetime.fromisoformat(session.started_at)
    reps = played.reps(session.id)
    apples = [r for r in reps if r.level_id == "reach-apples"]
    by_set = {}
    for obs in _resources(bundle, "Observation"):
        if obs["code"]["coding"][0]["code"] == "movement_time_s" and _component(obs, "rep-number") is None:
            by_set[_component(obs, "set-number")] = obs["effectivePeriod"]
    assert by_set[1]["start"] == (start + timedelta(seconds=apples[0].t_cue_s)).isoformat()
    assert by_set[2]["end"] == (start + timedelta(seconds=apples[-1].t_end_s)).isoformat()
    assert by_set[1]["start"] != by_set[2]["start"]
    rep_times = {o["effectivePeriod"]["end"] for o in _resources(bundle, "Observation")
                 if o["code"]["coding"][0]["code"] == "success"}  # fmt: skip
    assert rep_times == {(start + timedelta(seconds=r.t_end_s)).isoformat() for r in reps}


def test_laterality_device_and_pain_category(data: ExportData) -> None:
    """Before: no bodySite, no Device, pain filed under 'activity'."""
    bundle = fhir_bundle(data, include_reps=True)
    obs = _resources(bundle, "Observation")
    sites = {o["code"]["coding"][0]["code"]: o.get("bodySite", {}).get("coding", [{}])[0].get("code")
             for o in obs}  # fmt: skip
    # affected side left: the mirrored (driving) arm is the right one
    assert sites["reach_pct_arm"] == "6921000" and sites["affected_reach_pct_arm"] == "80768000"
    assert sites["absolute_error_deg"] == "80768000"
    assert sites["xcorr_r"] is None and sites["sway_rms_m"] is None and sites["55411-3"] is None
    assert all(o["bodySite"]["coding"][0]["system"] == SNOMED for o in obs if "bodySite" in o)
    pain = [o for o in obs if o["code"]["coding"][0]["code"] == "72514-3"]
    assert len(pain) == 2
    assert {o["category"][0]["coding"][0]["code"] for o in pain} == {"survey"}
    assert all("device" not in o for o in pain)  # the patient answered: no device measured it
    assert {o["category"][0]["coding"][0]["code"] for o in obs if o not in pain} == {"activity"}
    flags = [o for o in obs if o["code"]["coding"][0]["code"] == "success"]
    assert flags and all(isinstance(o["valueBoolean"], bool) for o in flags)
    assert not any(o["code"]["coding"][0]["code"].endswith(("_reliable", "_valid_fraction")) for o in obs)


def test_same_data_same_bundle(data: ExportData) -> None:
    assert fhir_bundle(data, timestamp="t") == fhir_bundle(data, timestamp="t")
