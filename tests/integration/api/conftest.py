"""The API tests reuse the city team of the assessment tests."""

from tests.integration.assessments.conftest import team  # noqa: F401
