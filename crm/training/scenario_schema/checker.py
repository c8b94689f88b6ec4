"""The document checker: assembles the section validators and walks a whole scenario."""

from __future__ import annotations

from pathlib import Path

from crm.i18n import lazy as _l
from crm.training.expectations import PackNames

from .aftersales import AfterSalesSections
from .card import CardSections
from .catalog import CatalogSections
from .clients import ClientSections
from .collections import CollectionSections
from .company import CompanySections
from .formats import _SLUG, _SLUG_HINT
from .knowledge import KnowledgeSections
from .messaging import MessagingSections
from .problems import ScenarioProblem, _describe, _short
from .qualification import QualificationSections
from .retention import RetentionSections
from .surveys import SurveySections
from .timeline import TimelineSections
from .vocabulary import _LEN, _TOP_OPTIONAL, _TOP_REQUIRED, FORMAT


def validate_scenario(data: object, file: str) -> list[ScenarioProblem]:
    """Every problem of a loaded scenario document; an empty list means it is valid."""
    checker = _Checker(str(file))
    checker.document(data)
    return checker.problems


class _Checker(
    CardSections,
    CompanySections,
    QualificationSections,
    MessagingSections,
    CatalogSections,
    ClientSections,
    CollectionSections,
    KnowledgeSections,
    TimelineSections,
    AfterSalesSections,
    RetentionSections,
    SurveySections,
):
    """Walks one document, collecting problems; each section method knows one part."""

    def document(self, data) -> None:
        """The whole document, section by section; referenced sections first."""
        if not isinstance(data, dict):
            self.add(
                "",
                _l(
                    "le document doit être un mapping de clés de premier niveau "
                    "(format, slug, title, …), pas %(value)s",
                    value=_describe(data),
                ),
            )
            return
        self.mapping(data, "", [*_TOP_REQUIRED, *_TOP_OPTIONAL])
        fmt = self.text(data, "format", "")
        if fmt is not None and fmt != FORMAT:
            self.add(
                "format",
                _l(
                    "%(value)s n'est pas pris en charge : attendu %(format)s",
                    value=_short(fmt),
                    format=repr(FORMAT),
                ),
            )
        slug = self.text(data, "slug", "", max_len=64, pattern=_SLUG, hint=_SLUG_HINT)
        stem = Path(self.file).stem
        if slug is not None and slug != stem:
            self.add(
                "slug",
                _l(
                    "%(slug)s ne correspond pas au nom du fichier %(name)s : attendu %(stem)s "
                    "(un pack s'appelle <slug>.yaml)",
                    slug=repr(slug),
                    name=repr(Path(self.file).name),
                    stem=repr(stem),
                ),
            )
        self.text(data, "title", "", max_len=_LEN["title"])
        self.text(data, "description", "")
        self.card(data)
        self.company(data)
        self.training_cards(data)
        codes = self.qualification_codes(data)
        templates = self.message_templates(data)
        self.dunning_ladder(data, templates)
        self.sales_reps(data)
        skus = self.products(data)
        self.promotions(data, skus)
        self.after_sales(data)
        self.retention(data)
        self.clients(data, skus, codes)
        self.offer_plans(data)
        slugs = self.knowledge_base(data)
        self.documents(data)
        self.campaigns(data, codes)
        self.surveys(data)
        targets = self.desk_settings(data)
        names = PackNames(*map(frozenset, (skus, codes, targets, slugs)))
        self.call_plans(data, names)
        self.timeline(data, names)
        if not self.problems:
            # The plugged-in validators (scripted customers) read a structurally sound pack.
            self.plugged_in(data)
