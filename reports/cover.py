"""The board paper's cover sheet: what the programme office filled in (reports.models.CoverSheet), or
the defaults from the strategy and quarter, as plain data every renderer prints as page 1.

`cover_sheet_snapshot(period=, layout=)` is the JSON frozen with a publication; `CoverSheetData`
is what the renderers read (`report.cover_sheet`); `with_cover_sheet(report, data)` puts one on a
Report."""

import dataclasses
import datetime
from dataclasses import dataclass

from goals.core.choices import ReportLayout
from goals.models import Goal, Period, Risk, people_as_of

from .models import CoverSheet

PURPOSES = dict(CoverSheet.Purpose.choices)
ASSURANCE_LEVELS = dict(CoverSheet.AssuranceLevel.choices)


@dataclass(frozen=True)
class CoverSheetData:
    """A cover sheet as printed: every value already text."""

    title: str
    pack_title: str = ""  # the title on the pack's own cover; "": the strategy's name and years
    meeting: str = ""
    meeting_date: str = ""  # ISO date or ""
    agenda_item: str = ""
    lead_director: str = ""
    author: str = ""
    purpose: str = CoverSheet.Purpose.ASSURANCE
    assurance_level: str = CoverSheet.AssuranceLevel.NONE
    goals: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    previously_considered_by: str = ""
    recommendation: str = ""
    equality_impact: str = ""

    @property
    def purpose_label(self) -> str:
        return str(PURPOSES.get(self.purpose, self.purpose))

    @property
    def assurance_level_label(self) -> str:
        return str(ASSURANCE_LEVELS.get(self.assurance_level, self.assurance_level))

    @property
    def meeting_date_label(self) -> str:
        if not self.meeting_date:
            return ""
        day = datetime.date.fromisoformat(self.meeting_date)
        return f"{day.day} {day:%B %Y}"

    def rows(self) -> list[tuple[str, str]]:
        """(label, text) in the order of the NHS front sheet; the same in every format."""
        return [
            ("Meeting", self.meeting),
            ("Date of meeting", self.meeting_date_label),
            ("Agenda item", self.agenda_item),
            ("Paper title", self.title),
            ("Lead director", self.lead_director),
            ("Author", self.author),
            ("Purpose", self.purpose_label),
            ("Assurance level", self.assurance_level_label),
            ("Strategic goals", "\n".join(self.goals) or "None"),
            ("Board Assurance Framework risks", "\n".join(self.risks) or "None"),
            ("Previously considered by", self.previously_considered_by or "Not previously considered"),
            ("Recommendation", self.recommendation),
            ("Equality impact", self.equality_impact),
        ]

    @classmethod
    def from_json(cls, data: dict) -> "CoverSheetData | None":
        if not data:
            return None
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["goals"] = tuple(values.get("goals") or ())
        values["risks"] = tuple(values.get("risks") or ())
        return cls(**values)


def default_title(period: Period, layout: str) -> str:
    return f"{period.strategy.name} – {period.label} {ReportLayout(layout).label.lower()}"


def cover_sheet_initial(period: Period, layout: str) -> dict:
    """What the cover sheet form starts from before it is first filled in: the defaults a pack
    without a cover sheet prints."""
    return {
        "title": default_title(period, layout),
        "pack_title": period.pack_title,
        "lead_director": period.strategy.sro,
    }


def cover_sheet_for(period: Period, layout: str) -> CoverSheet | None:
    return (
        CoverSheet.objects.filter(period=period, layout=layout)
        .select_related("lead_director")
        .prefetch_related("goals", "risks")
        .first()
    )


def cover_sheet_snapshot(*, period: Period, layout: str) -> dict:
    """The cover sheet of the pack as JSON (what a publication freezes): the one filled in, or the
    defaults (title from the strategy and quarter, lead director the strategy's SRO as they were).
    The pack's own cover title defaults to the quarter's (set by import); "" prints the strategy's name and years."""
    sheet = cover_sheet_for(period, layout)
    if sheet is None:
        sro = period.strategy.sro
        lead = str(people_as_of(period, [sro])[sro.pk]) if sro else ""
        return dataclasses.asdict(
            CoverSheetData(title=default_title(period, layout), pack_title=period.pack_title, lead_director=lead)
        )
    lead = ""
    if sheet.lead_director:
        lead = str(people_as_of(period, [sheet.lead_director])[sheet.lead_director.pk])
    data = CoverSheetData(
        title=sheet.title,
        pack_title=sheet.pack_title,
        meeting=sheet.meeting,
        meeting_date=sheet.meeting_date.isoformat() if sheet.meeting_date else "",
        agenda_item=sheet.agenda_item,
        lead_director=lead,
        author=sheet.author,
        purpose=sheet.purpose,
        assurance_level=sheet.assurance_level,
        goals=tuple(goal_label(goal) for goal in sorted(sheet.goals.all(), key=lambda g: g.order)),
        risks=tuple(risk_label(risk) for risk in sorted(sheet.risks.all(), key=lambda r: r.number)),
        previously_considered_by=sheet.previously_considered_by,
        recommendation=sheet.recommendation,
        equality_impact=sheet.equality_impact,
    )
    return dataclasses.asdict(data)


def goal_label(goal: Goal) -> str:
    return f"Goal {goal.order}: {goal.title}"


def risk_label(risk: Risk) -> str:
    return f"BAF {risk.number}: {risk.title}"


def with_cover_sheet(report, data: dict):
    """The report with the cover sheet `data` (JSON) to print as page 1."""
    return dataclasses.replace(report, cover_sheet=CoverSheetData.from_json(data))


def report_with_cover_sheet(report, period: Period):
    """A pack being previewed or downloaded before publishing: with its cover sheet as it is now."""
    return with_cover_sheet(report, cover_sheet_snapshot(period=period, layout=report.layout))
