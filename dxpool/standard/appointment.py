"""The forms of appointment (任用形態) a posting offers and an applicant accepts, defined once.

Codes are stored in the database (JSON lists on postings, profiles, hearings and job descriptions) and carried by
the API; labels are what users see and what the Excel hearing sheet writes, worded as the seeds word them:
総務省「自治体DX全体手順書」4.5(3)「CIO補佐官等の任用形態」, 4.5(4), 4.5(5) and 4.5(9) (seed
001_77c5af8016e9d699.txt), and the 2021-12 talk's table of 任用形態 (seed 002_3507f9afa1f3a25f.txt).
tests/standard/test_appointment.py finds every label in those seeds.

talent.models.AppointmentForm (the Django TextChoices every form and model uses) is built from this list, with
its member names the codes in capitals (AppointmentForm.CONTRACT == "contract"). Pure Python, like the rest of
dxpool.standard: a reader of spreadsheets or documents can use it without Django.
"""

from __future__ import annotations

# The labels are msgids of dxpool/locale (extracted from these gettext_noop calls); talent.models translates them.
from dxpool.standard.i18n import gettext_noop

# (code, label, where the seeds say it). Order is the order forms and lists show them.
APPOINTMENT_FORMS: tuple[tuple[str, str, str], ...] = (
    ("specific_fixed_term", gettext_noop("特定任期付職員"),
     "seed 001 4.5(3):「特定任期付職員（地方任期付職員法第３条第１項で規定する職員）」; seed 002: 任用形態の表"
     "「特定任期付職員 (フルタイム)」"),
    ("special_part_time", gettext_noop("特別職非常勤職員"),
     "seed 001 4.5(3):「特別職の非常勤職員（地方公務員法第３条第３項第３号で規定する職員）（以下「特別職非常勤"
     "職員」という。）」; seed 002: 任用形態の表「特別職非常勤職員」"),
    ("fiscal_year", gettext_noop("会計年度任用職員"),
     "seed 001 4.5(3):「地方公務員には、一般に、任期の定めのない常勤職員、任期付職員、会計年度任用職員などに"
     "分類される一般職と特別職がある」"),
    ("contract", gettext_noop("業務委託"),
     "seed 001 4.5(3):「地方公務員として任用する場合と、私法上の業務委託を行う場合が主に想定される」; seed 002:"
     "「任用形態（地方公務員、業務委託）」"),
    ("regional_revitalisation", gettext_noop("地域活性化起業人"),
     "seed 001 4.5(5)「③ 地域活性化起業人（特別交付税措置）」: 企業に所属するデジタル人材の派遣; seed 002 同"),
    ("side_job", gettext_noop("副業・兼業"),
     "seed 001 4.5(9):「委託や非常勤職員（副業人材）も活用する」, 4.5(4):「民間企業と兼業する」; seed 002:"
     "「営利企業の従事等（兼業）」"),
)

APPOINTMENT_FORM_CODES: tuple[str, ...] = tuple(code for code, _, _ in APPOINTMENT_FORMS)
APPOINTMENT_FORM_LABELS: dict[str, str] = {code: label for code, label, _ in APPOINTMENT_FORMS}
"""code → Japanese label, e.g. "contract" → 「業務委託」 (plain strings, not translated)."""

APPOINTMENT_FORM_CODES_BY_LABEL: dict[str, str] = {label: code for code, label, _ in APPOINTMENT_FORMS}
"""Japanese label → code, for readers of sheets that carry labels (the Excel hearing sheet)."""
