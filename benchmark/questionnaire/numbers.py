"""Reading a number typed by a person, in any of the service's languages.

The one parser of typed numbers: answers to number and percent questions
(`types.py`) and the city profile of a round (`services/assessments.py`) both use it.
"""

from __future__ import annotations

#: Decimal separators people type: the point, the comma (French) and the Arabic
#: decimal separator U+066B.
_DECIMAL_SIGNS = str.maketrans({",": ".", "\u066b": "."})
#: Digit-group separators dropped: every kind of space (French writes 12 345 with a
#: narrow no-break space) and the Arabic thousands separator U+066C.
_GROUP_SIGNS = {"\u066c"}


def parse_decimal(text: str) -> float:
    """The number `text` spells; ValueError when it spells none.

    Accepts Western (0-9), Arabic-Indic (٠-٩) and Extended Arabic-Indic (۰-۹) digits,
    a decimal point, comma or Arabic decimal separator, and spaces or Arabic
    thousands separators between digit groups: "12 345,5", "١٢٫٥", "3.25". Ranges are
    the caller's to check: "1e400" reads as infinity and "nan" as NaN.
    """
    cleaned = "".join(c for c in "".join(text.split()) if c not in _GROUP_SIGNS)
    # float() reads any Unicode decimal digit, so Arabic-Indic digits need no mapping.
    return float(cleaned.translate(_DECIMAL_SIGNS))
