"""The languages the service speaks (pure: no Flask), and which of them read right to left."""

from __future__ import annotations

#: Interface, report and questionnaire languages, in menu order.
LANGUAGES: tuple[str, ...] = ("en", "fr", "ar")
#: Each language's name in itself, for language menus.
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "fr": "Français", "ar": "العربية"}
RTL_LANGUAGES: frozenset[str] = frozenset({"ar", "fa", "he", "ur"})
DEFAULT_LANGUAGE = "en"


def is_rtl(language: str) -> bool:
    """Whether `language` (a code such as "ar" or "ar-MA") is written right to left."""
    return language.split("-")[0].split("_")[0].lower() in RTL_LANGUAGES
