"""Exports for clinicians: CSV of sessions/reps/metrics, an HL7 FHIR R4 Bundle and a one-page report.

All take an :class:`game.export.data.ExportData` of plain data; none reads the database or a clock.
"""
