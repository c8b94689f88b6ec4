"""What both 78-criterion grids share (the evaluator's and the candidate's self-assessment): the
summary of each competency, the criteria still to grade, the bulk fill request, and the anchor
a save comes back to (so the page does not jump to the top after each save)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flask import flash
from flask_babel import ngettext

from crm.errors import ValidationFailed
from crm.evaluation.grades import GRADES
from crm.evaluation.standards import Standard
from crm.i18n import _, translate


@dataclass(frozen=True)
class CompetencySummary:
    """One competency's grades so far: how many of each grade, and how many are left."""

    #: Grade code → number of criteria given it, in the scale's order.
    counts: dict[str, int]
    left: int
    total: int


def competency_summaries(
    standard: Standard, grades: Mapping[str, str | None]
) -> dict[str, CompetencySummary]:
    """competency id → its summary, from `grades` (criterion id → grade code or None)."""
    result = {}
    for group in standard.groups:
        for competency in group.competencies:
            given = [grades.get(c.id) for c in competency.criteria]
            result[competency.id] = CompetencySummary(
                counts={code: given.count(code) for code in GRADES},
                left=sum(1 for g in given if g not in GRADES),
                total=len(given),
            )
    return result


def ungraded(
    standard: Standard, grades: Mapping[str, str | None], competency_id: str = ""
) -> list[str]:
    """The criteria (of one competency, or all) without a grade, in the standard's order."""
    return [
        c.id
        for c in standard.criteria
        if grades.get(c.id) not in GRADES
        and (not competency_id or c.competency_id == competency_id)
    ]


@dataclass(frozen=True)
class FillRequest:
    """« Remplir le reste avec… »: the grade to give every ungraded criterion, and where."""

    grade: str
    #: Only this competency's criteria ("" for the whole grid).
    competency_id: str = ""


def parse_fill(data: Mapping, standard: Standard, *, prefix: str = "fill_") -> FillRequest:
    """Read `<prefix>grade` and `<prefix>competency` (the pages' fill_… fields, or the API's
    bare `grade` and `competency` with prefix ""); ValidationFailed naming the bad field."""
    grade, competency_id = data.get(prefix + "grade"), data.get(prefix + "competency")
    if competency_id is None:
        # Absent or null: every competency. Not `or ""`: {} or false is not a competency.
        competency_id = ""
    errors = {}
    if not isinstance(grade, str) or grade.strip() not in GRADES:
        errors[prefix + "grade"] = _(
            "Choisissez la note à donner aux critères restants (%(choices)s).",
            choices=", ".join(GRADES),
        )
    known = {c.competency_id for c in standard.criteria}
    if not isinstance(competency_id, str) or (competency_id and competency_id.strip() not in known):
        errors[prefix + "competency"] = _("Compétence inconnue dans ce référentiel.")
    if errors:
        raise ValidationFailed(errors, next(iter(errors.values())))
    return FillRequest(grade.strip(), competency_id.strip())


def saved_anchor(standard: Standard, asked: str | None, changed: Iterable[str] = ()) -> str:
    """The fragment a save comes back to: the competency or criterion whose button was used
    (`asked`, checked against the standard), else the last criterion the save changed."""
    competencies = {c.competency_id for c in standard.criteria}
    asked = (asked or "").strip()
    if asked.startswith("competency-") and asked.removeprefix("competency-") in competencies:
        return asked
    if asked.startswith("criterion-") and standard.criterion(asked.removeprefix("criterion-")):
        return asked
    last = [cid for cid in changed if standard.criterion(cid)]
    return f"criterion-{last[-1]}" if last else ""


def with_anchor(url: str, anchor: str) -> str:
    """`url` with `#anchor` when there is one."""
    return f"{url}#{anchor}" if anchor else url


def flash_filled(filled: list[str], grade: str) -> None:
    """Tell how many criteria the fill graded (or that none was left)."""
    if not filled:
        flash(_("Aucun critère restant à noter."), "info")
        return
    flash(
        ngettext(
            "%(num)s critère restant noté « %(grade)s ».",
            "%(num)s critères restants notés « %(grade)s ».",
            len(filled),
            grade=translate(GRADES[grade]),
        ),
        "success",
    )
