"""Fill the fr/ar catalogues (domains messages, reports) from JSON {"msgid": {"fr": ..., "ar": ...}}.

Used by translators working outside a PO editor; `make translations` keeps the catalogues
in sync with the code. Usage: python tools/fill_translations.py [FILE.json ...]
(default: every tools/translations/*.json, one file per area so that parallel work
does not edit one file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "benchmark" / "translations"


SOURCES = Path(__file__).resolve().parent / "translations"


def load_table(sources: list[str], domain: str = "messages") -> dict[str, dict[str, str]]:
    """Every file's entries; the domain's own file (reports.json for "reports") wins a
    msgid that another file translates differently, and loses it in other domains."""
    paths = sources or sorted(str(p) for p in SOURCES.glob("*.json"))
    own = [p for p in paths if Path(p).stem == domain]
    # reports.json is the report domain's; in "messages" it only fills what others lack.
    paths = ([p for p in paths if Path(p).stem == "reports"]
             + [p for p in paths if Path(p).stem not in ("reports", domain)] + own)
    table: dict[str, dict[str, str]] = {}
    for source in paths:
        table.update(json.loads(Path(source).read_text(encoding="utf-8")))
    return table


def _plural_forms(text: str | list[str], count: int) -> tuple[str, ...]:
    """Every plural form of the language (Arabic has six): a list gives them in the
    catalogue's order, its last form repeated; one string serves for all. An empty form
    would show the English text."""
    forms = [text] if isinstance(text, str) else list(text)
    return tuple((forms + [forms[-1]] * count)[:count])


def main(sources: list[str]) -> None:
    for lang, domain in ((lang, domain) for domain in ("messages", "reports")
                         for lang in ("fr", "ar")):
        path = ROOT / lang / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        table = load_table(sources, domain)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        filled = 0
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            entry = table.get(key)
            if entry and entry.get(lang):
                message.string = (entry[lang] if isinstance(message.id, str)
                                  else _plural_forms(entry[lang], catalog.num_plurals))
                message.flags.discard("fuzzy")
                filled += 1
        with path.open("wb") as handle:
            write_po(handle, catalog, width=0, no_location=True, sort_output=True)
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{domain} {lang}: {filled} filled, {len(missing)} untranslated")
        for message_id in missing:
            print(f"  untranslated: {message_id!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
