"""Forms of the auth blueprint (server-side validation with WTForms)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from benchmark.services.passwords import MAX_LENGTH, MIN_LENGTH


def email_field() -> EmailField:
    return EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter an email address like name@city.org."), check_deliverability=False),
        Length(max=254, message=_l("An email address has at most 254 characters.")),
    ], render_kw={"autocomplete": "username", "spellcheck": "false"})


def new_password_fields(label: object = None) -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation (length is checked again by the service)."""
    password = PasswordField(label or _l("New password"), validators=[
        DataRequired(_l("Enter a password.")),
        Length(min=MIN_LENGTH, max=MAX_LENGTH,
               message=_l("Use between %(min)d and %(max)d characters.", min=MIN_LENGTH,
                          max=MAX_LENGTH)),
    ], render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Repeat the password"), validators=[
        DataRequired(_l("Repeat the password.")),
        EqualTo("password", message=_l("The two passwords are not the same.")),
    ], render_kw={"autocomplete": "new-password"})
    return password, confirm


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
