"""Forms of the auth blueprint (server-side validation with WTForms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter an email address like name@city.org."), check_deliverability=False),
        Length(max=254),
    ], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=256),
    ], render_kw={"autocomplete": "current-password"})


class ConfirmForm(FlaskForm):
    """An empty form: only its CSRF token matters (logout, submit, ...)."""
