import pytest

from tests.integration.security import test_authz_matrix as m
from tests.integration.security.test_authz_matrix import city, everyone, roles

OWN_READ = roles(302, 200, 200, 200, 200)
OTHER_READ = roles(302, 404, 404, 200, 200)
STAFF_PAGE = city(own=roles(302, 403, 403, 200, 200), other=roles(302, 404, 404, 200, 200))
STAFF_ACTION = city(own=roles(302, 403, 403, 302, 302), other=roles(302, 404, 404, 302, 302))
MINE = {
    "cities.home": {"GET": roles(302, 200, 200, 302, 302)},
    "cities.start": {"POST": everyone(302)},
    "cities.overview": {"GET": city(own=OWN_READ, other=OTHER_READ)},
    "cities.submit": {"POST": city(own=roles(302, 403, 422, 403, 403),
                                   other=roles(302, 404, 404, 403, 403))},
    "cities.dimension": {"GET": city(own=OWN_READ, other=OTHER_READ),
                         "POST": city(own=roles(302, 302, 302, 403, 403),
                                      other=roles(302, 404, 404, 403, 403))},
    "cities.profile": {"GET": city(own=OWN_READ, other=OTHER_READ),
                       "POST": city(own=roles(302, 403, 409, 403, 403),
                                    other=roles(302, 404, 404, 403, 403))},
    "cities.team": {"GET": city(own=roles(302, 403, 200, 403, 403),
                                other=roles(302, 404, 404, 403, 403)),
                    "POST": city(own=roles(302, 403, 302, 403, 403),
                                 other=roles(302, 404, 404, 403, 403))},
    "review.queue": {"GET": roles(302, 403, 403, 200, 200)},
    "review.show": {"GET": STAFF_PAGE},
    "review.diff": {"GET": STAFF_PAGE},
    "review.comment": {"POST": STAFF_ACTION},
    "review.return_": {"POST": STAFF_ACTION},
    "review.validate": {"POST": STAFF_ACTION},
    "review.reopen": {"POST": STAFF_ACTION},
    "api.create_assessment": {"POST": roles(401, 422, 422, 422, 422)},
    "api.list_assessments": {"GET": roles(401, 200, 200, 200, 200)},
    "api.get_assessment": {"GET": city(own=roles(401, 200, 200, 200, 200),
                                       other=roles(401, 404, 404, 200, 200))},
    "api.put_answer": {"PUT": city(own=roles(401, 200, 428, 403, 403),
                                   other=roles(401, 404, 404, 403, 403))},
    "api.submit_assessment": {"POST": city(own=roles(401, 403, 422, 403, 403),
                                           other=roles(401, 404, 404, 403, 403))},
    "api.return_assessment": {"POST": roles(401, 422, 422, 422, 422)},
    "api.validate_assessment": {"POST": city(own=roles(401, 403, 403, 409, 409),
                                             other=roles(401, 404, 404, 409, 409))},
    "api.reopen_assessment": {"POST": roles(401, 422, 422, 422, 422)},
    "api.add_review_comment": {"POST": roles(401, 422, 422, 422, 422)},
}
m.RULES.update(MINE)


@pytest.mark.parametrize("endpoint", sorted(MINE))
def test_mine(app, endpoint):
    m.test_access_matrix(app, endpoint)
