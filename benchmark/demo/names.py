"""Fictional but plausible names and texts for the demo network (pure: no Flask, no database).

City names are built from syllables with a suffix in the style of a real country,
so a network of 10,000 cities still has unique, pronounceable names; nothing here
names a real city or person on purpose.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Country:
    name: str
    #: Relative frequency in the network (Europe dominates, as in the real programme).
    weight: float
    suffixes: tuple[str, ...]
    prefixes: tuple[str, ...] = ()


COUNTRIES = (
    Country("Spain", 9, ("ola", "ares", "eda", "illa", "osa", "ueña", " de la Sierra")),
    Country("Italy", 9, ("ano", "ella", "ino", "ate", "ona", "izzo", " Marittima"), ("San ",)),
    Country("Portugal", 6, ("eira", "ães", "elo", "ada", "ouro")),
    Country("France", 6, ("ville", "mont", "court", "ac", "ières", "-sur-Mer"), ("Saint-",)),
    Country("Germany", 6, ("burg", "feld", "hausen", "stadt", "heim", "au")),
    Country("Norway", 4, ("vik", "stad", "dal", "sund", "ås")),
    Country("Sweden", 3, ("köping", "holm", "by", "sala", "torp")),
    Country("Denmark", 2, ("rup", "sted", "bjerg", "løse")),
    Country("Netherlands", 3, ("dam", "veen", "hoven", "wijk", "recht")),
    Country("Belgium", 2, ("gem", "elle", "ghem", "vaux")),
    Country("Switzerland", 3, ("wil", "ikon", "ens", "berg")),
    Country("Austria", 2, ("dorf", "bach", "kirchen")),
    Country("Ireland", 2, ("more", "bally", "ford", "anagh"), ("Bally", "Kil")),
    Country("United Kingdom", 4, ("ford", "bridge", "ton", "chester", "wick"), ("Upper ", "Great ")),
    Country("Poland", 3, ("ów", "ice", "owo", "ino", "sk")),
    Country("Ukraine", 2, ("ivka", "horod", "opil", "ychi")),
    Country("Greece", 3, ("polis", "ada", "ia", "oupoli")),
    Country("Cyprus", 1, ("ia", "ou", "issa")),
    Country("Croatia", 2, ("ovac", "ica", "inj")),
    Country("Serbia", 1, ("evac", "ica", "ovo")),
    Country("Romania", 1, ("ești", "eni", "ița")),
    Country("Finland", 2, ("lahti", "järvi", "koski", "linna")),
    Country("Iceland", 1, ("fjörður", "vík", "nes")),
    Country("Türkiye", 2, ("köy", "abad", "eli", "iye")),
    Country("Morocco", 2, ("ane", "ouine", "ssa"), ("Aït ", "Sidi ")),
    Country("Tunisia", 1, ("ine", "ta", "ssa")),
    Country("Mexico", 2, ("tlán", "pan", "ingo", "aco"), ("San ", "Santa ")),
    Country("Canada", 2, ("ford", "view", "ville", "wood"), ("Port ", "Lake ")),
    Country("United States", 1, ("field", "town", "ville", "port")),
    Country("Japan", 2, ("hama", "kawa", "yama", "saki", "mura")),
    Country("South Korea", 1, ("san", "ju", "won", "cheon")),
    Country("Australia", 2, ("ong", "ina", "ara", "bank")),
    Country("New Zealand", 1, ("ora", "ua", "nui")),
    Country("Israel", 1, ("iya", "ot", "on")),
    Country("Lebanon", 1, ("oun", "aya", "ine")),
    Country("Jordan", 1, ("ayya", "oun", "ah")),
)

_ONSETS = ("b", "br", "c", "d", "f", "g", "gr", "l", "m", "n", "p", "r", "s", "st", "t", "tr", "v",
           "z", "k", "h", "fl", "cl", "pl", "sc", "dr")
_VOWELS = ("a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "io", "au")
_CODAS = ("", "", "", "n", "r", "l", "s", "m", "nd", "rt", "st", "ld")

FIRST_NAMES = ("Amira", "Bruno", "Carla", "Dario", "Elin", "Farid", "Greta", "Hugo", "Ines", "Jonas",
               "Karin", "Luca", "Maya", "Nadia", "Omar", "Paula", "Rania", "Sven", "Tomas", "Ula",
               "Vera", "Wassim", "Yara", "Zeno", "Leila", "Marek", "Noor", "Oskar", "Sofia", "Teodor")
LAST_NAMES = ("Andersen", "Benali", "Castell", "Dimitriou", "Eriksen", "Ferreira", "Gallo", "Haddad",
              "Ivanova", "Jansen", "Kovač", "Lindqvist", "Moreau", "Nowak", "Okafor", "Petrov",
              "Quintana", "Rossi", "Schmid", "Tahiri", "Urbano", "Vidal", "Weber", "Yilmaz", "Zanetti")

EVIDENCE_SOURCES = (
    "City council decision {year}/{n}",
    "Intercultural strategy {year}, chapter {n}",
    "Annual report of the diversity office, {year}",
    "Municipal budget {year}, line {n}",
    "Mayor's decree of {year} (no. {n})",
    "Survey of residents, {year}",
    "Minutes of the advisory board, session {n} ({year})",
    "Department of education, school census {year}",
    "Local action plan on inclusion {year}–{year2}",
    "Partnership agreement with civil society organisations ({year})",
)
COMMENTS = (
    "Figures from the last available census.",
    "The policy covers the whole city since last year.",
    "Partly in place: a pilot in two districts.",
    "To be confirmed with the department of social affairs.",
    "Adopted by the council; implementation starts next year.",
    "We include the neighbouring municipalities of the metropolitan area.",
    "Estimate by the statistics office.",
    "Managed by an NGO under a city contract.",
)
TEXT_ANSWERS = (
    "The strategy was prepared with residents' associations and adopted after a public consultation.",
    "A cross-departmental working group meets every quarter and reports to the deputy mayor.",
    "Most activities are run together with civil society organisations and funded by the city.",
    "Our priorities for the next round are housing, employment and the participation of young people.",
    "The city works with the regional government, which is responsible for schools and health care.",
)
REVIEW_COMMENTS = (
    "Please add the reference of the council decision as evidence.",
    "The figure seems high compared with the previous round; please check the source.",
    "Could you explain how this is funded? The budget line is not mentioned.",
    "Please attach a link to the published document.",
    "This answer does not match the evidence given; please review it.",
    "Is this city-wide or only a pilot? Please clarify in the comment.",
)
RETURN_MESSAGES = (
    "Thank you for the submission. A few answers need evidence or a clarification before we "
    "can validate; see the comments on the questions.",
    "Some answers are inconsistent with the evidence given; please review the commented "
    "questions and submit again.",
)


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens ("Saint-Éloi-sur-Mer" → "saint-eloi-sur-mer")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64]


def pick_country(rng: random.Random) -> Country:
    return rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]


def city_name(rng: random.Random, country: Country) -> str:
    """A pronounceable fictional name in the style of `country`."""
    syllables = rng.choice((1, 2, 2, 2, 3))
    stem = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables))
    stem += rng.choice(_CODAS)
    name = stem + rng.choice(country.suffixes)
    if country.prefixes and rng.random() < 0.15:
        name = rng.choice(country.prefixes) + name.capitalize()
    return name[0].upper() + name[1:]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
