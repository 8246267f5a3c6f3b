"""The practice form: texts in the original language, optional translations, facts, topics."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional

from benchmark.models import BUDGET_BANDS
from benchmark.services.practices import PracticeData, Texts
from benchmark.web.forms import LANGUAGE_CHOICES, CheckboxesField, choices
from benchmark.web.labels import budget_label


class TextsForm(Form):
    title = StringField(_l("Title"))
    summary = TextAreaField(_l("Summary (at most 500 characters)"), render_kw={"rows": 3})
    description = TextAreaField(_l("Description"), render_kw={"rows": 8})
    results = TextAreaField(_l("Results or evaluation"), render_kw={"rows": 4})


class PracticeForm(FlaskForm):
    revision = HiddenField()
    language = SelectField(_l("Language of these texts"), choices=LANGUAGE_CHOICES,
                           validate_choice=True)
    title = StringField(_l("Title"))
    summary = TextAreaField(_l("Summary (at most 500 characters)"), render_kw={"rows": 3})
    description = TextAreaField(_l("Description"), render_kw={"rows": 8})
    results = TextAreaField(_l("Results or evaluation"), render_kw={"rows": 4})
    tr_en = FormField(TextsForm, label="English")
    tr_fr = FormField(TextsForm, label="Français")
    tr_ar = FormField(TextsForm, label="العربية")
    dimensions = CheckboxesField(_l("Dimensions the practice addresses"), validate_choice=False)
    questions = CheckboxesField(_l("Questions the practice answers"), validate_choice=False)
    start_year = IntegerField(_l("First year"), validators=[
        Optional(), NumberRange(1950, 2100, _l("Enter a year between 1950 and 2100."))])
    end_year = IntegerField(_l("Last year (leave empty while it runs)"), validators=[
        Optional(), NumberRange(1950, 2100, _l("Enter a year between 1950 and 2100."))])
    department = StringField(_l("Department"))
    partners = TextAreaField(_l("Partners"), render_kw={"rows": 2})
    budget_band = SelectField(_l("Budget"), validate_choice=True, choices=choices(
        [("", _l("Not stated"))] + [(b, budget_label(b)) for b in BUDGET_BANDS]))
    links = TextAreaField(_l("Links (one web address per line)"), render_kw={"rows": 3})
    contact = StringField(_l("Contact person who agreed to be named (optional)"))

    def data_for_service(self) -> PracticeData:
        original = self.language.data or "en"
        texts = {original: Texts(self.title.data or "", self.summary.data or "",
                                 self.description.data or "", self.results.data or "")}
        for lang in ("en", "fr", "ar"):
            sub = getattr(self, f"tr_{lang}")
            if lang != original:
                texts[lang] = Texts(sub["title"].data or "", sub["summary"].data or "",
                                    sub["description"].data or "", sub["results"].data or "")
        return PracticeData(
            language=original, texts=texts, dimensions=self.dimensions.data or [],
            questions=self.questions.data or [], start_year=self.start_year.data,
            end_year=self.end_year.data, department=self.department.data or "",
            partners=self.partners.data or "", budget_band=self.budget_band.data or None,
            links=(self.links.data or "").splitlines(), contact=self.contact.data or "")

    def fill_from(self, p: Any) -> None:
        self.revision.data = str(p.revision)
        self.language.data = p.language
        for t in p.texts:
            target = self if t.language == p.language else getattr(self, f"tr_{t.language}")
            target["title"].data, target["summary"].data = t.title, t.summary
            target["description"].data, target["results"].data = t.description, t.results
        self.dimensions.data = [d.dimension_id for d in p.dimensions]
        self.questions.data = [q.question_id for q in p.questions]
        self.start_year.data = p.start_year
        self.end_year.data = p.end_year
        self.department.data = p.department
        self.partners.data = p.partners
        self.budget_band.data = p.budget_band or ""
        self.links.data = "\n".join(p.links or [])
        self.contact.data = p.contact


class StepForm(FlaskForm):
    comment = TextAreaField(_l("Message to the city"), render_kw={"rows": 3})
