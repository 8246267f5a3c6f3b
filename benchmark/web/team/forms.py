"""Forms of the team pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from benchmark.web.forms import LANGUAGE_CHOICES, CheckboxesField, email_field


class MemberForm(FlaskForm):
    dimensions = CheckboxesField(_l("Dimensions this contributor may edit"), validate_choice=True)


class TeamInviteForm(MemberForm):
    email = email_field()
    name = StringField(_l("Name"), validators=[
        Optional(), Length(max=200, message=_l("Use at most %(max)d characters.", max=200))])
    language = SelectField(_l("Language of emails and pages"), choices=LANGUAGE_CHOICES,
                           validate_choice=True)
