"""The authorisation matrix: every route × every role × own city / other city → status code.

`RULES` maps each endpoint of `app.url_map` to the expected status of each of its methods
for each role, acting on their own city's data ("own") and on another city's ("other").
A route without a row fails `test_every_route_has_a_row` with its name, rule and methods,
so a new endpoint cannot ship without an access rule. To add a row:

    "blueprint.endpoint": {
        "GET": roles(302, 403, 200, 200, 200),            # same for both cities
        "POST": city(own=roles(302, 422, 422, 403, 403),  # differs by city
                     other=roles(302, 404, 404, 403, 403)),
    },

Order of `roles(...)`: anonymous, contributor, focal point, staff, admin. The acting
contributor and focal point belong to the "own" city. Path parameters are filled by name
from the world built for each row (`PARAMS`: assessment_id, city_id, slug, user_id, ...);
a row can override them with `params={"name": resolver}`. POSTs send a valid CSRF token
and `data` (default: nothing else), so a permitted but empty submission usually answers
422; API routes are called with the role's bearer token and a JSON body (`data`, default {}).
Expected statuses are what the app answers: 302 is the login redirect for anonymous pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pytest

from benchmark.models import Assessment, City, User
from benchmark.services import accounts, tokens
from tests.builders import build_assessment, build_city, build_edition, build_user
from tests.integration.security.helpers import form_token, sign_in

ROLES = ("anonymous", "contributor", "focal_point", "staff", "admin")
SCOPES = ("own", "other")
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Expect:
    """Expected status per role, for the own city and (when it differs) another city."""

    own: tuple[int, ...]
    other: tuple[int, ...] | None = None
    params: dict[str, Callable[[World, str, str], Any]] = field(default_factory=dict)
    data: dict[str, Any] | None = None

    def status(self, role: str, scope: str) -> int:
        statuses = self.other if scope == "other" and self.other is not None else self.own
        return statuses[ROLES.index(role)]


def roles(anonymous: int, contributor: int, focal_point: int, staff: int, admin: int,
          **options: Any) -> Expect:
    return Expect(own=(anonymous, contributor, focal_point, staff, admin), **options)


def everyone(status: int, **options: Any) -> Expect:
    return roles(status, status, status, status, status, **options)


def city(own: Expect, other: Expect, **options: Any) -> Expect:
    return Expect(own=own.own, other=other.own, **options)


# -- the world each row runs in ----------------------------------------------------------------

@dataclass
class CityTeam:
    city: City
    focal: User
    contributor: User


class World:
    """Two cities with a focal point and a contributor each, a staff member, an administrator."""

    def __init__(self) -> None:
        build_edition("2019")  # what API bodies name
        self.cities = {scope: self._team(scope) for scope in SCOPES}
        self.staff = build_user("staff")
        self.admin = build_user("admin")
        self._tokens: dict[int, tuple[int, str]] = {}

    @staticmethod
    def _team(scope: str) -> CityTeam:
        place = build_city(f"{scope}-city", name=f"{scope.title()} City")
        return CityTeam(city=place, focal=build_user("focal_point", place),
                        contributor=build_user("contributor", place))

    def user(self, role: str) -> User | None:
        return {"anonymous": None, "contributor": self.cities["own"].contributor,
                "focal_point": self.cities["own"].focal, "staff": self.staff,
                "admin": self.admin}[role]

    def token(self, user: User) -> tuple[int, str]:
        """(id, secret) of an API token of `user`, made once per world."""
        if user.id not in self._tokens:
            row, secret = tokens.create(accounts.actor_for(user), user, "matrix")
            self._tokens[user.id] = (row.id, secret)
        return self._tokens[user.id]

    @cached_property
    def commitments(self) -> dict[str, int]:
        """A commitment of each city (on its assessment's first dimension), by scope."""
        from benchmark.extensions import db
        from benchmark.models import Commitment

        made = {}
        for scope, assessment in self.assessments.items():
            row = Commitment(city_id=assessment.city_id, assessment_id=assessment.id,
                             title=f"{scope} commitment", dimension_id="commitment",
                             questions=["commitment_01"])
            db.session.add(row)
            db.session.commit()
            made[scope] = row.id
        return made

    @cached_property
    def assessments(self) -> dict[str, Assessment]:
        build_edition("2019")
        return {scope: build_assessment(team.city, version="2019", round=2026)
                for scope, team in self.cities.items()}


def _token_id(world: World, role: str, scope: str) -> int:
    """Own scope: a token of the acting user; other scope: someone else's token."""
    user = world.user(role) if scope == "own" else None
    return world.token(user or world.cities["other"].focal)[0]


def _link(purpose: str) -> Callable[[World, str, str], str]:
    return lambda world, role, scope: accounts.link_token(world.cities[scope].contributor, purpose)


def _first_question(world: World, role: str, scope: str) -> str:
    from benchmark.services import questionnaires

    world.assessments  # noqa: B018 - imports the edition
    return questionnaires.get_edition("2019").questions[0].id


def _first_dimension(world: World, role: str, scope: str) -> str:
    from benchmark.services import questionnaires

    world.assessments  # noqa: B018 - imports the edition
    return questionnaires.get_edition("2019").dimensions[0].id


def _draft_id(world: World, role: str, scope: str) -> int:
    """A draft edition (mini 2019 as edition 2026), made once per world."""
    if not hasattr(world, "draft_id"):
        from benchmark.authz import SYSTEM
        from benchmark.services import drafts
        from tests.builders import FIXTURES

        world.assessments  # noqa: B018 - imports the 2019 edition
        text = (FIXTURES / "mini-2019.yaml").read_text(encoding="utf-8")
        draft = drafts.upload(SYSTEM, "icc-2026.yaml",
                              text.replace('version: "2019"', 'version: "2026"').encode())
        world.draft_id = draft.id  # type: ignore[attr-defined]
    return world.draft_id  # type: ignore[attr-defined]


def _notification_id(world: World, role: str, scope: str) -> int:
    """Own scope: a notification of the acting user; other scope: someone else's."""
    from benchmark.extensions import db
    from benchmark.models import Notification

    user = world.user(role) if scope == "own" else None
    row = Notification(user_id=(user or world.cities["other"].focal).id, kind="review_comment",
                       subject="Hello", body="", link="/")
    db.session.add(row)
    db.session.commit()
    return row.id
def _practice_id(world: World, role: str, scope: str) -> int:
    """A draft practice of the scope's city, made once per world."""
    from tests.builders import build_practice

    cache = world.__dict__.setdefault("practices", {})
    if scope not in cache:
        world.assessments  # noqa: B018 - imports the 2019 edition
        cache[scope] = build_practice(world.cities[scope].city, status="draft").id
    return cache[scope]


#: Path parameters by name (a row may override them).
PARAMS: dict[str, Callable[[World, str, str], Any]] = {
    "assessment_id": lambda w, role, scope: w.assessments[scope].id,
    "city_id": lambda w, role, scope: w.cities[scope].city.id,
    "slug": lambda w, role, scope: w.cities[scope].city.slug,
    "city": lambda w, role, scope: w.cities[scope].city.slug,
    "user_id": lambda w, role, scope: w.cities[scope].contributor.id,
    "token_id": _token_id,
    "question_id": _first_question,
    "dimension_id": _first_dimension,
    "version": lambda w, role, scope: (w.assessments, "2019")[1],
    "code": lambda w, role, scope: "fr",
    "filename": lambda w, role, scope: "css/app.css",
    "draft_id": _draft_id,
    "commitment_id": lambda w, role, scope: w.commitments[scope],
    "lang": lambda w, role, scope: "fr",
    "fmt": lambda w, role, scope: "yaml",
    "notification_id": _notification_id,
    "practice_id": _practice_id,
    "action": lambda w, role, scope: "publish",
}

# -- the rules ---------------------------------------------------------------------------------

LOGIN_PAGE = roles(302, 200, 200, 200, 200)
ADMIN_PAGE = roles(302, 403, 403, 403, 200)
ADMIN_FORM = roles(302, 403, 403, 403, 422)
ADMIN_ACTION = roles(302, 403, 403, 403, 302)
ADMIN_PRECONDITION = roles(302, 403, 403, 403, 428)
TEAM_PAGE = roles(302, 403, 200, 403, 403)
API_READ = roles(401, 200, 200, 200, 200)
RESET_LINK = {"token": _link(accounts.RESET)}
INVITATION_LINK = {"token": _link(accounts.INVITATION)}
TEAM_OTHER = roles(302, 404, 404, 403, 403)
CITY_READ_OTHER = roles(302, 404, 404, 200, 200)
API_READ_OTHER = roles(401, 404, 404, 200, 200)
STAFF_PAGE = city(own=roles(302, 403, 403, 200, 200), other=roles(302, 404, 404, 200, 200))
STAFF_ACTION = city(own=roles(302, 403, 403, 302, 302), other=roles(302, 404, 404, 302, 302))

PRACTICE_BODY = {"language": "en", "title": "Welcome walks", "summary": "Newcomers walk the city.",
                 "dimensions": ["commitment"]}

RULES: dict[str, dict[str, Expect]] = {
    # -- public pages and the API's own description
    "static": {"GET": everyone(200)},
    "main.home": {"GET": everyone(200)},
    "main.healthz": {"GET": everyone(200)},
    "main.set_language": {"GET": everyone(302)},
    "main.api_docs": {"GET": everyone(200)},
    "main.favicon": {"GET": everyone(200)},
    "api.ping": {"GET": everyone(200)},
    "api.openapi_json": {"GET": everyone(200)},
    # -- logging in and out, emailed links, the session clock
    "auth.login": {"GET": roles(200, 302, 302, 302, 302), "POST": roles(422, 302, 302, 302, 302)},
    "auth.logout": {"POST": everyone(302)},
    "auth.forgot_password": {"GET": everyone(200), "POST": everyone(422)},
    "auth.reset_password": {"GET": everyone(200, params=RESET_LINK),
                            "POST": everyone(422, params=RESET_LINK)},
    "auth.accept_invitation": {"GET": everyone(200, params=INVITATION_LINK),
                               "POST": everyone(422, params=INVITATION_LINK)},
    "auth.refresh_session": {"POST": roles(401, 200, 200, 200, 200)},
    "auth.session_status": {"GET": everyone(200)},
    # -- one's own account
    # A POST without the fields keeps the stored values (WTForms falls back to the object).
    "account.profile": {"GET": LOGIN_PAGE, "POST": everyone(302)},
    "account.password": {"GET": LOGIN_PAGE, "POST": roles(302, 422, 422, 422, 422)},
    "account.revoke_sessions": {"POST": roles(302, 422, 422, 422, 422)},
    "account.api_tokens": {"GET": LOGIN_PAGE, "POST": roles(302, 422, 422, 422, 422)},
    "account.revoke_token": {"POST": city(own=everyone(302), other=roles(302, 404, 404, 404, 404))},
    # -- administration
    "admin.home": {"GET": ADMIN_PAGE},
    "admin.users": {"GET": ADMIN_PAGE},
    "admin.invite_user": {"GET": ADMIN_PAGE, "POST": ADMIN_FORM},
    "admin.edit_user": {"GET": ADMIN_PAGE, "POST": ADMIN_ACTION},
    "admin.deactivate_user": {"POST": ADMIN_ACTION},
    "admin.reactivate_user": {"POST": ADMIN_ACTION},
    "admin.resend_invitation": {"POST": ADMIN_ACTION},
    "admin.cities": {"GET": ADMIN_PAGE},
    "admin.new_city": {"GET": ADMIN_PAGE, "POST": ADMIN_FORM},
    "admin.edit_city": {"GET": ADMIN_PAGE, "POST": ADMIN_ACTION},
    "admin.audit": {"GET": ADMIN_PAGE},
    # -- a focal point's team (the target is the city's contributor)
    "team.members": {"GET": TEAM_PAGE},
    "team.invite": {"GET": TEAM_PAGE, "POST": roles(302, 403, 422, 403, 403)},
    "team.edit_member": {"GET": city(own=TEAM_PAGE, other=TEAM_OTHER),
                         "POST": city(own=roles(302, 403, 302, 403, 403), other=TEAM_OTHER)},
    "team.deactivate_member": {"POST": city(own=roles(302, 403, 302, 403, 403), other=TEAM_OTHER)},
    "team.reactivate_member": {"POST": city(own=roles(302, 403, 302, 403, 403), other=TEAM_OTHER)},
    "team.resend_invitation": {"POST": city(own=roles(302, 403, 302, 403, 403), other=TEAM_OTHER)},
    # -- API: cities
    "api.list_cities": {"GET": API_READ},
    "api.get_city": {"GET": city(own=API_READ, other=roles(401, 404, 404, 200, 200))},
    # -- questionnaire editions
    "editions.index": {"GET": ADMIN_PAGE},
    "editions.preview": {"GET": ADMIN_PAGE},
    "editions.download": {"GET": ADMIN_PAGE},
    # draft editions: forms without their file answer 422, without the revision 428
    "editions.upload": {"POST": ADMIN_FORM},
    "editions.draft": {"GET": ADMIN_PAGE},
    "editions.replace": {"POST": ADMIN_FORM},
    "editions.delete": {"POST": ADMIN_PRECONDITION},
    "editions.publish": {"POST": ADMIN_PRECONDITION},
    "editions.download_draft": {"GET": ADMIN_PAGE},
    "editions.draft_preview": {"GET": ADMIN_PAGE},
    "editions.draft_scoring": {"GET": ADMIN_PAGE},
    "editions.translations": {"GET": ADMIN_PAGE},
    "editions.translation_grid": {"GET": ADMIN_PAGE, "POST": ADMIN_PRECONDITION},
    "editions.export_translations": {"GET": ADMIN_PAGE},
    "editions.import_translations": {"POST": ADMIN_FORM},
    "editions.diff": {"GET": ADMIN_PAGE},
    "editions.confirm_mappings": {"POST": ADMIN_PRECONDITION},
    "api.list_questionnaires": {"GET": API_READ},
    "api.get_questionnaire": {"GET": API_READ},
    # -- a city's work on its assessment
    "cities.home": {"GET": roles(302, 200, 200, 302, 302)},  # staff go to the review queue
    "cities.start": {"POST": everyone(302)},  # an empty form re-shows the home page
    "cities.overview": {"GET": city(own=LOGIN_PAGE, other=CITY_READ_OTHER)},
    "cities.dimension": {"GET": city(own=LOGIN_PAGE, other=CITY_READ_OTHER),
                         "POST": city(own=roles(302, 302, 302, 403, 403),
                                      other=roles(302, 404, 404, 403, 403))},
    "cities.profile": {"GET": city(own=LOGIN_PAGE, other=CITY_READ_OTHER),
                       "POST": city(own=roles(302, 403, 409, 403, 403),
                                    other=roles(302, 404, 404, 403, 403))},
    "cities.submit": {"POST": city(own=roles(302, 403, 422, 403, 403),
                                   other=roles(302, 404, 404, 403, 403))},
    # -- results, network, reports
    "results.show": {"GET": city(own=LOGIN_PAGE, other=CITY_READ_OTHER)},
    "network.overview": {"GET": LOGIN_PAGE},
    # Commitment pages. The form needs ?assessment= (none here: 404); the outcome page needs a
    # commitment of an earlier round (the world's is of the same round: 404).
    "commitments.own_city": {"GET": roles(302, 200, 200, 404, 404)},
    "commitments.new": {"GET": roles(302, 404, 404, 404, 404), "POST": roles(302, 404, 404, 404, 404)},
    "commitments.show": {"GET": city(own=LOGIN_PAGE, other=CITY_READ_OTHER)},
    "commitments.edit": {"GET": city(own=roles(302, 403, 200, 403, 403),
                                     other=roles(302, 404, 404, 403, 403)),
                         "POST": city(own=roles(302, 403, 428, 403, 403),
                                      other=roles(302, 404, 404, 403, 403))},
    "commitments.add_note": {"POST": city(own=roles(302, 422, 422, 422, 422),
                                          other=roles(302, 404, 404, 422, 422))},
    "commitments.outcome": {"GET": roles(302, 404, 404, 404, 404),
                            "POST": roles(302, 404, 404, 404, 404)},
    "commitments.network": {"GET": roles(302, 403, 403, 200, 200)},
    "commitments.export_csv": {"GET": roles(302, 403, 403, 200, 200)},
    "commitments.export_xlsx": {"GET": roles(302, 403, 403, 200, 200)},
    "api.get_scores": {"GET": city(own=API_READ, other=API_READ_OTHER)},
    "api.get_network_averages": {"GET": API_READ},
    "api.get_report_pdf": {"GET": city(own=API_READ, other=API_READ_OTHER)},
    "api.get_network_report_pdf": {"GET": roles(401, 403, 403, 200, 200)},
    "api.export_answers_csv": {"GET": roles(401, 403, 403, 200, 200)},
    "api.export_scores_xlsx": {"GET": roles(401, 403, 403, 200, 200)},
    # -- staff review (the target is a draft: state changes answer 409 or re-show the page)
    "review.queue": {"GET": roles(302, 403, 403, 200, 200)},
    "review.show": {"GET": STAFF_PAGE},
    "review.diff": {"GET": STAFF_PAGE},
    "review.comment": {"POST": STAFF_ACTION},
    "review.return_": {"POST": STAFF_ACTION},
    "review.confirm_validate": {"GET": STAFF_PAGE},
    "review.validate": {"POST": STAFF_ACTION},
    "review.reopen": {"POST": STAFF_ACTION},
    # -- the staff dashboard, city pages, review assignment (the target is a draft: 409 → flash)
    "dashboard.index": {"GET": roles(302, 403, 403, 200, 200)},
    "dashboard.csv": {"GET": roles(302, 403, 403, 200, 200)},
    "dashboard.city": {"GET": roles(302, 403, 403, 200, 200)},
    "dashboard.my_reviews": {"GET": roles(302, 403, 403, 200, 200)},
    "dashboard.assign": {"POST": STAFF_ACTION},
    # -- cities side by side (no city chosen: 422; who may compare whom: test_compare.py)
    "compare.index": {"GET": LOGIN_PAGE},
    "compare.csv": {"GET": roles(302, 422, 422, 422, 422)},
    "compare.pdf": {"GET": roles(302, 422, 422, 422, 422)},
    "api.get_compare": {"GET": roles(401, 422, 422, 422, 422)},
    # -- one's notifications (another's answers 404)
    "notifications.index": {"GET": LOGIN_PAGE},
    "notifications.open_": {"GET": city(own=everyone(302), other=roles(302, 404, 404, 404, 404))},
    "notifications.mark_all_read": {"POST": everyone(302)},
    # -- API: assessments (bodies are valid, so what answers is the access rule)
    "api.create_assessment": {"POST": city(own=roles(401, 403, 201, 403, 403),
                                           other=roles(401, 403, 409, 403, 403),
                                           data={"city": "own-city", "questionnaire": "2019",
                                                 "round": 2030})},
    "api.list_assessments": {"GET": API_READ},
    # Commitments: focal points write, contributors (of the dimension) and staff add notes.
    "api.list_commitments": {"GET": city(own=API_READ, other=API_READ_OTHER)},
    "api.get_commitment": {"GET": city(own=API_READ, other=API_READ_OTHER)},
    "api.create_commitment": {"POST": city(own=roles(401, 403, 422, 403, 403),
                                           other=roles(401, 404, 404, 403, 403),
                                           data={"assessment": 999999, "title": "A commitment",
                                                 "dimension": "commitment"})},
    "api.put_commitment": {"PUT": city(own=roles(401, 403, 428, 403, 403),
                                       other=roles(401, 404, 404, 403, 403),
                                       data={"title": "A commitment", "dimension": "commitment"})},
    "api.add_commitment_note": {"POST": city(own=roles(401, 201, 201, 201, 201),
                                             other=roles(401, 404, 404, 201, 201),
                                             data={"text": "Progress."})},
    "api.get_assessment": {"GET": city(own=API_READ, other=API_READ_OTHER)},
    "api.put_answer": {"PUT": city(own=roles(401, 200, 428, 403, 403),
                                   other=roles(401, 404, 404, 403, 403),
                                   data={"value": "yes", "na": False})},
    "api.submit_assessment": {"POST": city(own=roles(401, 403, 422, 403, 403),
                                           other=roles(401, 404, 404, 403, 403))},
    "api.return_assessment": {"POST": city(own=roles(401, 403, 403, 409, 409),
                                           other=roles(401, 404, 404, 409, 409),
                                           data={"comment": "Please add evidence."})},
    "api.validate_assessment": {"POST": city(own=roles(401, 403, 403, 409, 409),
                                             other=roles(401, 404, 404, 409, 409))},
    "api.reopen_assessment": {"POST": city(own=roles(401, 403, 403, 409, 409),
                                           other=roles(401, 404, 404, 409, 409),
                                           data={"reason": "A correction."})},
    # Review comments belong to a submitted assessment: on a draft staff get 409.
    "api.add_review_comment": {"POST": city(own=roles(401, 403, 403, 409, 409),
                                            other=roles(401, 404, 404, 409, 409),
                                            data={"question_id": None, "body": "Thank you."})},
    # -- good practices (the target is a draft practice: publishing it is a wrong state)
    "practices.browse": {"GET": LOGIN_PAGE},
    "practices.for_question": {"GET": LOGIN_PAGE},
    "practices.export": {"GET": roles(302, 403, 403, 200, 200)},
    "practices.new": {"GET": roles(302, 200, 200, 403, 403),
                      "POST": roles(302, 422, 422, 403, 403)},
    "practices.show": {"GET": city(own=LOGIN_PAGE, other=CITY_READ_OTHER)},
    "practices.edit": {"GET": city(own=LOGIN_PAGE, other=CITY_READ_OTHER),
                       "POST": city(own=roles(302, 422, 422, 422, 422),
                                    other=roles(302, 404, 404, 422, 422))},
    "practices.step": {"POST": city(own=roles(302, 403, 403, 302, 302),
                                    other=roles(302, 404, 404, 302, 302))},
    # API (the target is a draft practice; the contributor submits it first)
    "api.list_practices": {"GET": API_READ},
    "api.get_practice": {"GET": city(own=API_READ, other=API_READ_OTHER)},
    "api.create_practice": {"POST": roles(401, 201, 201, 422, 422, data=PRACTICE_BODY)},
    "api.put_practice": {"PUT": city(own=roles(401, 428, 428, 428, 428),
                                     other=roles(401, 404, 404, 428, 428), data=PRACTICE_BODY)},
    "api.submit_practice": {"POST": city(own=roles(401, 200, 409, 403, 403),
                                         other=roles(401, 404, 404, 403, 403))},
    "api.publish_practice": {"POST": city(own=roles(401, 403, 403, 409, 409),
                                          other=roles(401, 404, 404, 409, 409))},
    "api.return_practice": {"POST": city(own=roles(401, 403, 403, 409, 409),
                                         other=roles(401, 404, 404, 409, 409),
                                         data={"comment": "Add the results."})},
    "api.withdraw_practice": {"POST": city(own=roles(401, 403, 409, 409, 409),
                                           other=roles(401, 404, 404, 409, 409))},
}


# -- the tests ---------------------------------------------------------------------------------

def _routes(app) -> dict[str, tuple[str, set[str]]]:
    routes: dict[str, tuple[str, set[str]]] = {}
    for rule in app.url_map.iter_rules():
        methods = set(rule.methods or ()) - IGNORED_METHODS
        rule_text, known = routes.get(rule.endpoint, (rule.rule, set()))
        routes[rule.endpoint] = (rule_text, known | methods)
    return routes


def test_every_route_has_a_row(app) -> None:
    missing = []
    for endpoint, (rule, methods) in sorted(_routes(app).items()):
        declared = set(RULES.get(endpoint, {}))
        for method in sorted(methods - declared):
            missing.append(f"  {endpoint} {method} {rule}")
    assert not missing, (
        "These routes have no row in RULES (tests/integration/security/test_authz_matrix.py); "
        "add the expected status per role and city:\n" + "\n".join(missing))


def test_every_row_is_a_route(app) -> None:
    routes = _routes(app)
    stale = [f"  {endpoint} {method}" for endpoint, row in sorted(RULES.items())
             for method in row if method not in routes.get(endpoint, ("", set()))[1]]
    assert not stale, "RULES has rows for routes that do not exist:\n" + "\n".join(stale)


def _url(app, endpoint: str, expect: Expect, world: World, role: str, scope: str) -> str:
    from flask import url_for

    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {}
    for name in rule.arguments:
        resolver = expect.params.get(name) or PARAMS.get(name)
        assert resolver is not None, f"{endpoint}: no value for path parameter {name!r}"
        values[name] = resolver(world, role, scope)
    with app.test_request_context():
        return url_for(endpoint, **values)


def _call(app, endpoint: str, method: str, expect: Expect, world: World, role: str,
          scope: str) -> int:
    client = app.test_client()
    user = world.user(role)
    url = _url(app, endpoint, expect, world, role, scope)
    options: dict[str, Any] = {"method": method}
    if endpoint.startswith("api."):
        options["headers"] = {"Authorization": f"Bearer {world.token(user)[1]}"} if user else {}
        if method != "GET":
            options["json"] = expect.data if expect.data is not None else {}
    else:
        if user is not None:
            sign_in(client, user)
        if method != "GET":
            token = form_token(client, "/")
            options["data"] = {"csrf_token": token, **(expect.data or {})}
            options["headers"] = {"X-CSRFToken": token}  # JSON endpoints (session refresh)
    response = client.open(url, **options)
    response.close()  # static files are streamed
    return response.status_code


@pytest.mark.parametrize("endpoint", sorted(RULES))
def test_access_matrix(app, endpoint: str) -> None:
    """Each role × city gets the expected status; all mismatches are reported together."""
    if endpoint not in _routes(app):
        pytest.fail(f"{endpoint} is in RULES but not a route of the app")
    world = World()
    wrong = []
    # Roles from least to most privileged, so a permitted state change (deactivating the
    # contributor, say) happens after the less privileged roles have been tried.
    for method, expect in sorted(RULES[endpoint].items(), key=lambda item: item[0] != "GET"):
        for role in ROLES:
            for scope in SCOPES:
                got = _call(app, endpoint, method, expect, world, role, scope)
                wanted = expect.status(role, scope)
                if got != wanted:
                    wrong.append(f"{method} {endpoint} as {role} on {scope} city: "
                                 f"expected {wanted}, got {got}")
    assert not wrong, "\n".join(wrong)
