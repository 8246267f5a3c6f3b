"""Forms of the administration pages; choices come from the services (cities, dimensions)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from benchmark.models import ROLES
from benchmark.services.city_filter import MAX_LENGTH as CITY_TEXT_MAX
from benchmark.web.forms import LANGUAGE_CHOICES, CheckboxesField, choices, email_field
from benchmark.web.labels import action_label, role_label


def role_choices() -> list[tuple[str, str]]:
    return [(role, role_label(role)) for role in ROLES]


class _UserFields(FlaskForm):
    name = StringField(_l("Name"), validators=[
        Optional(), Length(max=200, message=_l("Use at most %(max)d characters.", max=200))])
    role = SelectField(_l("Role"), validate_choice=True)
    # The city's name or short name, found by the server (services/city_filter.py): a
    # <select> would list every city of the network (10,000 options).
    city = StringField(_l("City"), validators=[
        Optional(), Length(max=CITY_TEXT_MAX, message=_l("Use at most %(max)d characters.",
                                                           max=CITY_TEXT_MAX))],
        render_kw={"autocomplete": "off", "spellcheck": "false"})
    dimensions = CheckboxesField(_l("Dimensions this contributor may edit"), validate_choice=True)
    language = SelectField(_l("Language of emails and pages"), choices=LANGUAGE_CHOICES,
                           validate_choice=True)

    def set_choices(self, dimensions: list[tuple[str, str]]) -> None:
        self.role.choices = choices(role_choices())
        self.dimensions.choices = choices(dimensions)


class InviteUserForm(_UserFields):
    email = email_field()


class EditUserForm(_UserFields):
    pass


class UserFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = SearchField(_l("Name or email contains"), validators=[Optional(), Length(max=100)])
    # Unknown filter values match nothing; choices are filled in after the query.
    role = SelectField(_l("Role"), validate_choice=False)
    city = SearchField(_l("City (name or short name)"), validators=[
        Optional(), Length(max=CITY_TEXT_MAX, message=_l("Use at most %(max)d characters.",
                                                           max=CITY_TEXT_MAX))],
        render_kw={"spellcheck": "false"})
    active = SelectField(_l("Status"), validate_choice=True, default="", choices=choices([
        ("", _l("all")), ("yes", _l("active")), ("no", _l("deactivated"))]))

    def set_choices(self) -> None:
        self.role.choices = choices([("", _l("all")), *role_choices()])


class CityForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter the city's name.")),
        Length(max=200, message=_l("Use at most %(max)d characters.", max=200))])
    slug = StringField(_l("Short name in addresses"), validators=[
        DataRequired(_l("Enter a short name, e.g. ville-de-lyon.")),
        Length(max=64, message=_l("Use at most %(max)d characters.", max=64)),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_l("Use lower-case letters, digits and single hyphens, e.g. ville-de-lyon."))],
        render_kw={"spellcheck": "false", "dir": "ltr"})
    country = StringField(_l("Country"), validators=[
        DataRequired(_l("Enter the country.")),
        Length(max=100, message=_l("Use at most %(max)d characters.", max=100))])
    population = IntegerField(_l("Population (inhabitants)"), validators=[
        Optional(), NumberRange(min=0, max=100_000_000,
                                message=_l("Enter a number of inhabitants between 0 and 100,000,000."))],
        render_kw={"inputmode": "numeric"})
    foreign_born_share = FloatField(_l("Foreign-born share of the population (%)"), validators=[
        Optional(), NumberRange(min=0, max=100, message=_l("Enter a percentage between 0 and 100."))],
        render_kw={"inputmode": "decimal"})
    consent_named = BooleanField(_l("The city agrees to be named in other cities' peer comparisons"))


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False, validators=[Optional(), Length(max=50)])
    actor = SearchField(_l("User email contains"), validators=[Optional(), Length(max=100)])
    city = SearchField(_l("City (name or short name)"), validators=[
        Optional(), Length(max=CITY_TEXT_MAX, message=_l("Use at most %(max)d characters.",
                                                           max=CITY_TEXT_MAX))],
        render_kw={"spellcheck": "false"})
    since = DateField(_l("From (date)"), validators=[Optional()])
    until = DateField(_l("Until (date, inclusive)"), validators=[Optional()])
    before = IntegerField(validators=[Optional(), NumberRange(min=1)])

    def set_choices(self, actions: list[str]) -> None:
        self.action.choices = choices([("", _l("all")), *((a, action_label(a)) for a in actions)])
