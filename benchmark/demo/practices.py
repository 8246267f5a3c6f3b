"""Good practices of the demo network: our own short descriptions of the kind of work
intercultural cities do, in English, French and Arabic, planned onto the demo cities (pure).

Each idea names the questions it answers (ids of the 2024 edition, which the 2019 edition
shares for these). `plan` spreads the ideas over cities whose language suits the text,
publishes about sixty and leaves a few drafts, submitted and returned ones.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

#: Countries whose cities write their practices in French or Arabic.
FRENCH = frozenset({"France", "Belgium", "Switzerland", "Canada", "Morocco", "Tunisia", "Lebanon"})
ARABIC = frozenset({"Morocco", "Tunisia", "Lebanon", "Jordan"})
PUBLISHED = 60
#: Practices left in the workflow: (status, how many).
IN_PROGRESS = (("draft", 3), ("submitted", 3), ("returned", 1))


@dataclass(frozen=True)
class Idea:
    language: str
    title: str
    summary: str
    description: str
    results: str
    questions: tuple[str, ...]
    department: str
    budget_band: str


IDEAS: tuple[Idea, ...] = (
    Idea("en", "Welcome walks for newcomers",
         "Volunteer residents walk new arrivals through their district in their first month: "
         "the library, the health centre, the market and the sports club.",
         "Pairs of volunteers, some of them former newcomers, meet families the welcome desk "
         "refers to them. A walk lasts two hours and ends with a coffee in a community centre. "
         "Volunteers get a half-day of training and a small expenses budget.",
         "Nine in ten families who took part used at least one of the services visited within "
         "three months; several volunteers joined the district council.",
         ("language_03", "public_space_02"), "Social affairs", "under_10k"),
    Idea("en", "An intercultural strategy with its own budget line",
         "The council adopted a five-year intercultural strategy with targets per department "
         "and a budget line reviewed every year.",
         "A cross-party working group drafted the strategy after open sessions in every "
         "district. Each department names a contact person and reports twice a year on its "
         "targets; the reports are published.",
         "Departments met two thirds of their first-year targets; the budget line survived two "
         "changes of majority.",
         ("commitment_01", "commitment_02", "commitment_07"), "Mayor's office", "100k_1m"),
    Idea("en", "Library language cafés",
         "Every public library hosts a weekly conversation table where residents practise the "
         "local language with volunteers, with childcare on site.",
         "Tables are grouped by level and run by trained volunteers. Librarians keep easy "
         "reading shelves next to the tables and invite participants to other library events.",
         "About 1,200 different people took part last year; half of them borrowed books for "
         "the first time.",
         ("public_space_02", "language_01"), "Culture and libraries", "10k_100k"),
    Idea("en", "Mediators in schools and housing estates",
         "Trained intercultural mediators work in schools and social housing, helping families, "
         "teachers and neighbours settle disagreements early.",
         "The city employs twelve mediators speaking fourteen languages between them. Schools "
         "and housing providers call them through one number; mediators also run parent "
         "evenings.",
         "Most referred neighbour conflicts were settled without the police; school "
         "attendance rose in the two pilot schools.",
         ("mediation_01", "mediation_02", "mediation_03"), "Social cohesion", "100k_1m"),
    Idea("en", "Diversity charter with local employers",
         "The city and the chamber of commerce run a diversity charter: signatories publish "
         "recruitment commitments and meet once a year to compare results.",
         "Signatories commit to anonymous shortlisting for at least one job family, to a "
         "mentoring place for a jobseeker of migrant background and to a yearly report.",
         "Seventy employers signed in three years, among them the largest hospital.",
         ("business_01", "business_02"), "Economic development", "10k_100k"),
    Idea("en", "Recognising skills from abroad",
         "A one-stop advice service helps residents get foreign diplomas and work experience "
         "recognised, with bridging courses for regulated professions.",
         "Advisers check documents, book translations and send people to the right authority; "
         "the city pays the fees for residents on low incomes.",
         "Two hundred people a year get a decision; nurses and engineers are the largest groups.",
         ("business_03",), "Employment", "100k_1m"),
    Idea("en", "Residents design their square",
         "Before renovating a square, the city holds design workshops in the languages spoken "
         "nearby, and residents vote on the final plan.",
         "Workshops take place on the square itself at different times of day, with "
         "interpreters and activities for children. Designers must show how each proposal "
         "was used.",
         "The renovated square is now used by more groups at more hours, according to counts "
         "made before and after.",
         ("public_space_01", "public_space_04"), "Urban planning", "over_1m"),
    Idea("en", "Interpreters on call for every service",
         "Any municipal service can book a professional interpreter by phone or video within "
         "the day, at no cost to the resident.",
         "A framework contract covers forty languages. Staff learn in their induction how to "
         "work with an interpreter; bookings are made in one click from the case system.",
         "Average waiting time fell from nine days to one; complaints about misunderstandings "
         "halved.",
         ("language_05", "language_06"), "Customer services", "100k_1m"),
    Idea("en", "A migrant residents' council with a say on the budget",
         "An elected council of foreign residents gives opinions on every draft budget and "
         "can put items on the city council's agenda.",
         "Members are elected every three years by all foreign residents over sixteen. The "
         "council has a secretariat and meets the mayor four times a year.",
         "Three of its proposals were adopted in the last budget, including longer library "
         "hours.",
         ("participation_01", "participation_05"), "Democracy and participation", "10k_100k"),
    Idea("en", "Testing for discrimination in housing",
         "The city commissioned paired tests of letting agencies and publishes the results "
         "with each agency's plan to improve.",
         "A university team sent pairs of equivalent applicants who differed only by name. "
         "Agencies that improved are named in a yearly report.",
         "A second round two years later found the gap had narrowed by half.",
         ("anti_discrimination_02", "anti_discrimination_05"), "Equality office", "10k_100k"),
    Idea("en", "Newsroom diversity training",
         "The city funds short courses for local journalists on reporting about migration "
         "and keeps a list of experts of diverse backgrounds.",
         "Courses are run with the journalism school. The expert list is open to all "
         "newsrooms and updated every quarter.",
         "Local media quoted experts from the list more than three hundred times in a year.",
         ("media_05", "media_02"), "Communication", "under_10k"),
    Idea("en", "Mixed sports leagues",
         "A neighbourhood football and basketball league requires mixed teams and trains "
         "coaches from every community.",
         "Clubs receive a grant when their teams mix players of different origins; coaches "
         "get a free certificate course.",
         "Twenty-four clubs joined; girls' teams doubled.",
         ("cultural_civil_life_05", "cultural_civil_life_07"), "Sport", "10k_100k"),
    Idea("en", "Parents' rooms in primary schools",
         "Primary schools open a room where parents meet, learn the language and talk with "
         "teachers, with a coordinator who speaks several languages.",
         "The coordinator organises coffee mornings, language courses and visits of the "
         "school's services. Teachers join once a month.",
         "Parent attendance at school meetings rose from a third to two thirds.",
         ("education_04", "education_06"), "Education", "10k_100k"),
    Idea("en", "Alerts in every language",
         "Emergency and public-health alerts go out by text message in eighteen languages, "
         "and community radio repeats them.",
         "Residents register their language at the welcome desk or online. Messages are "
         "translated in advance from templates and checked by community volunteers.",
         "During the last heatwave the alert reached about 80,000 people in their language.",
         ("language_07", "language_04"), "Civil protection", "10k_100k"),
    Idea("en", "Culture grants that count diversity",
         "Grant criteria for culture, sport and youth give points for reaching mixed audiences "
         "and for diverse boards.",
         "Applicants describe who they reach and who decides; a panel including residents of "
         "migrant background scores them.",
         "The share of grants to mixed projects rose from 12% to 31% in three years.",
         ("cultural_civil_life_01", "cultural_civil_life_03"), "Culture", "100k_1m"),
    Idea("en", "Health mediators for new arrivals",
         "Health mediators from migrant communities accompany residents to screening, "
         "vaccination and mental-health services.",
         "Mediators are trained by the public health service and paid by the city; they "
         "also run information sessions in prayer rooms and community centres.",
         "Vaccination rates among newly arrived children caught up with the city average.",
         ("public_services_07",), "Public health", "100k_1m"),
    Idea("en", "Fair recruitment in the city's own workforce",
         "The city anonymises applications, advertises jobs in community media and offers "
         "traineeships so that its staff reflect its population.",
         "Every department sets a yearly target; managers are trained in structured "
         "interviews.",
         "The share of staff of migrant background rose by six points in five years.",
         ("public_services_01", "public_services_02"), "Human resources", "10k_100k"),
    Idea("en", "Green-jobs training for jobseekers of migrant background",
         "Training in energy renovation and urban greening reserves places for jobseekers of "
         "migrant background, with language support on site.",
         "Courses combine work on city buildings with classroom learning; employers commit to "
         "interviews at the end.",
         "Two thirds of participants found work within six months.",
         ("business_07", "business_05"), "Employment", "over_1m"),
    Idea("fr", "Médiation interculturelle dans les écoles",
         "Des médiatrices et médiateurs accompagnent les familles nouvellement arrivées dans "
         "leurs démarches avec l'école et animent des rencontres entre parents.",
         "Chaque médiateur suit trois écoles. Il accueille les familles à l'inscription, "
         "traduit lors des rendez-vous et organise des cafés des parents.",
         "Moins d'absences non justifiées et davantage de parents présents aux réunions.",
         ("education_04", "mediation_02"), "Éducation", "10k_100k"),
    Idea("fr", "Cafés des langues dans les bibliothèques",
         "Chaque semaine, les bibliothèques proposent des tables de conversation animées par "
         "des bénévoles pour pratiquer le français.",
         "Les tables sont organisées par niveau ; une garderie est assurée. Les bibliothécaires "
         "présentent aussi les autres services de la bibliothèque.",
         "Plus de huit cents participants l'an dernier, dont beaucoup de nouveaux inscrits.",
         ("public_space_02", "language_01"), "Culture", "under_10k"),
    Idea("fr", "Conseil consultatif des résidents étrangers",
         "Un conseil élu par les résidents étrangers donne son avis sur le budget et peut "
         "inscrire des points à l'ordre du jour du conseil municipal.",
         "Les membres sont élus pour trois ans. Le conseil dispose d'un secrétariat et "
         "rencontre le maire chaque trimestre.",
         "Plusieurs de ses propositions ont été reprises, dont l'ouverture tardive des "
         "piscines.",
         ("participation_01",), "Démocratie locale", "10k_100k"),
    Idea("fr", "Charte de la diversité avec les employeurs",
         "La ville et la chambre de commerce animent une charte : les signataires publient "
         "leurs engagements de recrutement et leurs résultats.",
         "Les entreprises s'engagent à un recrutement sans CV nominatif pour au moins un "
         "métier et à accueillir un stagiaire chaque année.",
         "Une cinquantaine d'employeurs ont signé, dont les deux principaux hôpitaux.",
         ("business_01", "business_02"), "Développement économique", "under_10k"),
    Idea("fr", "Ateliers participatifs pour réaménager les places",
         "Avant chaque réaménagement, des ateliers se tiennent sur place, avec interprètes, "
         "et les habitants votent sur le projet final.",
         "Les ateliers ont lieu à différentes heures ; les enfants dessinent leurs propositions. "
         "Les architectes doivent montrer ce qu'ils ont retenu.",
         "La place rénovée est fréquentée par des publics plus variés, selon les comptages.",
         ("public_space_01",), "Urbanisme", "over_1m"),
    Idea("fr", "Guide d'accueil en quinze langues",
         "Le guide d'accueil et les informations essentielles sur les services municipaux "
         "sont disponibles en quinze langues, en ligne et sur papier.",
         "Les traductions sont relues par des habitants locuteurs de chaque langue ; le guide "
         "est remis au guichet d'accueil et dans les centres sociaux.",
         "Le guide est téléchargé environ deux mille fois par mois.",
         ("language_03", "language_04"), "Communication", "10k_100k"),
    Idea("fr", "Observatoire des discriminations",
         "Un observatoire municipal recueille les signalements, mène des tests de situation "
         "et publie chaque année ses constats.",
         "L'observatoire travaille avec l'université et les associations ; il oriente les "
         "victimes vers un accompagnement juridique.",
         "Le nombre de signalements traités a triplé en quatre ans.",
         ("anti_discrimination_01", "anti_discrimination_02"), "Égalité", "100k_1m"),
    Idea("ar", "مجالس الأحياء المتعددة الثقافات",
         "يلتقي السكان الجدد والقدامى كل شهر في مكتبة الحي لمناقشة شؤون الحي واقتراح "
         "مشاريع صغيرة تمولها البلدية.",
         "تدير الاجتماعات وسيطة من البلدية تتحدث عدة لغات، وتُخصص ميزانية سنوية صغيرة "
         "للمشاريع التي يختارها السكان بالتصويت.",
         "نُفذ خمسة عشر مشروعاً في ثلاث سنوات، منها حديقة للأطفال وورشة لإصلاح الدراجات.",
         ("neighbourhoods_04", "participation_05"), "الشؤون الاجتماعية", "10k_100k"),
    Idea("ar", "دروس مجانية في اللغة للبالغين",
         "تقدم البلدية دروساً مجانية في اللغة للبالغين في المساء وأيام العطل مع رعاية "
         "للأطفال في المكان نفسه.",
         "تُنظم الدروس حسب المستوى في المدارس والمراكز الثقافية، ويحصل المشاركون على شهادة "
         "تساعدهم في البحث عن عمل.",
         "شارك نحو ستمئة شخص في السنة الماضية، وأكمل أغلبهم المستوى الأول.",
         ("language_01",), "التعليم", "10k_100k"),
    Idea("ar", "وسطاء صحيون للقادمين الجدد",
         "يرافق وسطاء من المجتمعات المهاجرة السكان الجدد إلى خدمات الفحص والتطعيم والصحة "
         "النفسية.",
         "يتلقى الوسطاء تدريباً من مصلحة الصحة العامة، وينظمون لقاءات توعية في المراكز "
         "الاجتماعية.",
         "ارتفعت نسبة تطعيم الأطفال القادمين حديثاً إلى مستوى متوسط المدينة.",
         ("public_services_07",), "الصحة العامة", "100k_1m"),
    Idea("ar", "دليل الترحيب بلغات متعددة",
         "يتوفر دليل الترحيب والمعلومات الأساسية عن خدمات البلدية بعشر لغات على الإنترنت "
         "وفي نسخة ورقية.",
         "يراجع الترجمات متطوعون من السكان، ويُوزع الدليل في مكتب الاستقبال والمراكز "
         "الاجتماعية.",
         "يُحمَّل الدليل نحو ألف مرة في الشهر.",
         ("language_03", "language_04"), "الاتصال", "under_10k"),
)


#: When a second or third city runs the same idea, its title says how theirs differs.
QUALIFIERS = {
    "en": (" (pilot in two districts)", " (city-wide)", " (second phase)"),
    "fr": (" (phase pilote)", " (à l'échelle de la ville)", " (deuxième phase)"),
    "ar": (" (مرحلة تجريبية)", " (على مستوى المدينة)", " (المرحلة الثانية)"),
}


@dataclass(frozen=True)
class PracticePlan:
    """One demo practice: an idea, a city (index into the cities given), a status, years."""

    idea: Idea
    city_index: int
    status: str
    start_year: int
    end_year: int | None
    #: Days before the anchor date the practice was last changed (published, submitted).
    age_days: int


def plan(countries: Sequence[str], seed: int) -> list[PracticePlan]:
    """Practices for the cities of `countries` (in city order; index 0 is the demo city).

    Each idea goes to cities whose country writes its language; English ideas to any
    city. About PUBLISHED published, plus IN_PROGRESS (the demo city holds a draft).
    """
    rng = random.Random(f"{seed}:practices")  # noqa: S311 - demo data, not secrets
    by_language = {
        "en": [i for i in range(1, len(countries))],
        "fr": [i for i, c in enumerate(countries) if c in FRENCH and i > 0],
        "ar": [i for i, c in enumerate(countries) if c in ARABIC and i > 0],
    }
    plans: list[PracticePlan] = []
    used: set[tuple[int, str]] = set()
    ideas = list(IDEAS)
    while len(plans) < PUBLISHED and ideas:
        for idea in ideas:
            pool = by_language[idea.language] or by_language["en"]
            free = [i for i in pool if (i, idea.title) not in used]
            if not free or len(plans) >= PUBLISHED:
                continue
            city = rng.choice(free)
            uses = sum(1 for _, title in used if title == idea.title)
            used.add((city, idea.title))
            if uses:
                idea = replace(idea, title=idea.title + QUALIFIERS[idea.language][(uses - 1) % 3])
            start = rng.randint(2012, 2023)
            plans.append(PracticePlan(idea, city, "published", start,
                                      rng.choice([None, start + rng.randint(1, 3)]),
                                      rng.randint(20, 900)))
        if all(not [i for i in (by_language[x.language] or by_language["en"])
                    if (i, x.title) not in used] for x in ideas):
            break
    others = [i for i in range(1, len(countries))]
    for status, count in IN_PROGRESS:
        for n in range(count):
            city = 0 if (status == "draft" and n == 0) else rng.choice(others)
            idea = rng.choice([i for i in IDEAS if i.language == "en"])
            plans.append(PracticePlan(idea, city, status, rng.randint(2020, 2025), None,
                                      rng.randint(1, 40)))
    return plans
