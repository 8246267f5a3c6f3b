"""Forms of the account pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from benchmark.web.forms import LANGUAGE_CHOICES, new_password_fields


class ProfileForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Enter your name.")),
        Length(max=200, message=_l("Use at most %(max)d characters.", max=200)),
    ], render_kw={"autocomplete": "name"})
    language = SelectField(_l("Preferred language"), choices=LANGUAGE_CHOICES,
                           validate_choice=True)


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[
        DataRequired(_l("Enter your current password.")), Length(max=256),
    ], render_kw={"autocomplete": "current-password"})
    password, confirm = new_password_fields()


class RevokeSessionsForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=256),
    ], render_kw={"autocomplete": "current-password"})


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[
        DataRequired(_l("Give the token a name, e.g. the script using it.")),
        Length(max=100, message=_l("Use at most %(max)d characters.", max=100)),
    ])
