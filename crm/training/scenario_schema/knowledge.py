"""Section validators for reference material: knowledge-base articles and attached documents."""

from __future__ import annotations

from crm.i18n import lazy as _l

from .formats import _FILENAME, _SLUG, _SLUG_HINT
from .problems import _describe, _join
from .structure import StructureChecks
from .vocabulary import _LEN


class KnowledgeSections(StructureChecks):
    """The ``knowledge_base`` and ``documents`` sections."""

    def knowledge_base(self, data) -> set[str]:
        """Articles candidates search; slugs are unique. Returns the slugs."""
        seen: dict = {}
        keys = ("slug", "title", "category", "tags", "body")
        for where, article in self.records(data, "knowledge_base", "", keys, non_empty=True):
            slug = self.text(
                article, "slug", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT
            )
            self.unique(_join(where, "slug"), slug, seen, _l("slug d'article"))
            self.text(article, "title", where, max_len=_LEN["title"])
            self.text(article, "category", where, max_len=_LEN["short"])
            for i, tag in enumerate(self.seq(article, "tags", where)):
                if not isinstance(tag, str) or not tag.strip():
                    self.add(
                        f"{where}.tags[{i}]",
                        _l("doit être un texte non vide, pas %(value)s", value=_describe(tag)),
                    )
            self.text(article, "body", where)
        return {slug for slug in seen if isinstance(slug, str)}

    def documents(self, data) -> None:
        """Attachments library: a key, a title and a bare file name."""
        seen: dict = {}
        for where, doc in self.records(
            data, "documents", "", ("key", "title", "filename"), optional=True
        ):
            key = self.text(doc, "key", where, max_len=_LEN["key"], pattern=_SLUG, hint=_SLUG_HINT)
            self.unique(_join(where, "key"), key, seen, _l("clé de document"))
            self.text(doc, "title", where, max_len=_LEN["title"])
            self.text(
                doc, "filename", where, max_len=_LEN["title"], pattern=_FILENAME,
                hint=_l("un simple nom de fichier avec son extension, comme cgv.pdf"),
            )  # fmt: skip
