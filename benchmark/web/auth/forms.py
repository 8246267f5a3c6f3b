"""Forms of the auth blueprint (server-side validation with WTForms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from benchmark.web.forms import email_field, new_password_fields


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=256),
    ], render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[
        DataRequired(_l("Enter your name.")),
        Length(max=200, message=_l("Use at most %(max)d characters.", max=200)),
    ], render_kw={"autocomplete": "name"})
    password, confirm = new_password_fields(_l("Choose a password"))


class ConfirmForm(FlaskForm):
    """An empty form: only its CSRF token matters (logout, submit, ...)."""
