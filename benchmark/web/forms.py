"""Form pieces shared by several blueprints: fields, choices and showing a service's errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectChoice, SelectMultipleField
from wtforms.validators import DataRequired, Email, EqualTo, Length
from wtforms.widgets import CheckboxInput, ListWidget

from benchmark.errors import Invalid
from benchmark.infra.passwords import MAX_LENGTH, MIN_LENGTH


def choices(pairs: object) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[attr-defined]


LANGUAGE_CHOICES = choices([("en", "English"), ("fr", "Français"), ("ar", "العربية")])


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (rendered by the `checkboxes` macro in a fieldset)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


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


def show_errors(form: object, err: Invalid) -> None:
    """A service's field errors on the form's fields; the others on the first field."""
    fields = [f for f in form if f.name != "csrf_token"]  # type: ignore[attr-defined]
    for name, message in (err.fields or {"": err.message}).items():
        field = getattr(form, name, None) or fields[0]
        field.errors = [*field.errors, message]
