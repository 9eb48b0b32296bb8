"""The therapist gives a patient's family their code (the patient's menu, "Family code").

The therapist types the code they will tell the family (six digits, shown as typed so it can
be written down), then OK. The family types it on the title screen's Progress to see that
patient, and only that patient (game.therapist.family_access). A new code replaces the old
one, which stops working at once. Pops with a line for the patient menu to show.
"""

from __future__ import annotations

from game.i18n import N_, Text, _
from game.scenes.base import Pop, Transition
from game.scenes.digit_pad import DigitPadScene
from game.scenes.services import AppServices
from game.storage import StorageError
from game.storage.records import Patient, utc_now
from game.therapist.family_access import FAMILY_CODE_DIGITS, FamilyGate


class FamilyCodeSetScene(DigitPadScene):
    """Choose the family code of one patient."""

    max_digits = FAMILY_CODE_DIGITS
    masked = False
    icon = "heart"

    def __init__(self, app: AppServices, patient: Patient) -> None:
        super().__init__(app)
        self.patient = patient
        self.gate = FamilyGate(app.db)
        self.message = (
            N_(
                "Type {n} digits for the family, then OK (this code replaces the old one).",
                n=FAMILY_CODE_DIGITS,
            )
            if self.gate.has_code(patient.id)
            else N_("Type {n} digits for the family, then OK (this code is new).", n=FAMILY_CODE_DIGITS)
        )

    @property
    def title(self) -> Text:
        return N_("Family code for {name}", name=self.patient.alias)

    def submit(self) -> Transition | None:
        code = self.digits
        try:
            self.gate.set_code(self.patient.id, code, utc_now())
        except (ValueError, StorageError) as err:
            self.digits, self.message = "", str(err)
            return None
        return Pop(
            _("Family code set: {code}. Give it to the family of {name}.").format(
                code=code, name=self.patient.alias
            )
        )
