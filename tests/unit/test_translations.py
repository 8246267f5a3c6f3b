"""Every user-facing string of the UI and the reports is translated into French and Arabic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

CATALOGUES = Path(__file__).resolve().parents[2] / "benchmark" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.mark.parametrize("domain", ["messages", "reports"])
@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_catalogue_is_complete_and_keeps_placeholders(lang: str, domain: str) -> None:
    with (CATALOGUES / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        catalogue = read_po(handle, locale=lang)
    untranslated, broken = [], []
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string if isinstance(message.string, str) else message.string[0]
        if not text:
            untranslated.append(msgid)
        elif sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(text)):
            broken.append(msgid)
    assert untranslated == [], f"untranslated in {lang}: {untranslated[:10]}"
    assert broken == [], f"placeholders differ in {lang}: {broken[:10]}"


#: What `make translations` extracts into each domain (babel.cfg, babel-reports.cfg).
DOMAINS = {
    "messages": ([("benchmark/reporting/**.py", "ignore"), ("benchmark/**.py", "python"),
                  ("benchmark/templates/**.html", "jinja2")],
                 {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None,
                  "lazy_gettext": None}),
    "reports": ([("benchmark/reporting/**.py", "python"), ("reports/templates/**.html", "jinja2")],
                {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
                 "translate": (2,), "N_": None}),
}


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_catalogue_has_every_string_of_the_code(domain: str) -> None:
    """A new gettext string fails here until `make translations` and a translation add it."""
    from babel.messages.extract import extract_from_dir

    root = CATALOGUES.parent.parent
    method_map, keywords = DOMAINS[domain]
    found = {entry[2] if isinstance(entry[2], str) else entry[2][0]
             for entry in extract_from_dir(
                 str(root), method_map, keywords=keywords,
                 options_map={"reports/templates/**.html": {"extensions": "jinja2.ext.i18n"}})
             if entry[0].startswith(("benchmark", "reports"))}
    with (CATALOGUES / "fr" / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        known = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = sorted(found - known)
    assert missing == [], f"run `make translations` and translate: {missing[:10]}"
