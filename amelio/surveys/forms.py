"""Forms of the authoring pages, and the public answering form built from a version's questions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amelio.core.forms import StyledFormMixin

from .choices import CHOICE_KINDS, QuestionKind, VersionStatus
from .models import Campaign, Question, Questionnaire, QuestionnaireVersion
from .results import likert_labels
from .services import asked_questions, question_options

OTHER = "other"


class QuestionnaireForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Questionnaire
        fields = Questionnaire.editable_fields


class SectionForm(StyledFormMixin, forms.Form):
    title_fr = forms.CharField(label=gettext_lazy("Section title (French)"), max_length=200)
    title_en = forms.CharField(label=gettext_lazy("Section title (English)"), max_length=200, required=False)


class QuestionForm(StyledFormMixin, forms.ModelForm):
    options_text = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Choice questions: one option per line, “French | English”."),
    )
    rows_text = forms.CharField(
        label=gettext_lazy("Rows"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Matrix questions: one row per line, “French | English”, each answered on the agreement scale."
        ),
    )

    show_if_code = forms.SlugField(
        label=gettext_lazy("Shown only if question (code)"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Leave empty to always ask this question."),
    )
    show_if_values = forms.CharField(
        label=gettext_lazy("… was answered"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "The levels (1 to the number of points), scores (0–10) or option numbers (1 for the first) that show "
            "this question, separated by commas."
        ),
    )

    class Meta:
        model = Question
        fields = [
            "code",
            "kind",
            "text_fr",
            "text_en",
            "is_required",
            "scale_points",
            "allows_other",
            "minimum",
            "maximum",
        ]

    def __init__(self, *args: Any, version: QuestionnaireVersion | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sections = version.sections.all() if version is not None else []
        self.fields["section"] = forms.TypedChoiceField(
            label=_("Section"), choices=[(s.pk, s.title) for s in sections], coerce=int
        )
        self.fields["section"].widget.attrs["class"] = "form-select"
        self.order_fields(["section"])
        self.version = version

    def clean_show_if_values(self) -> list[int]:
        raw = self.cleaned_data.get("show_if_values") or ""
        try:
            return [int(part) for part in raw.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Give whole numbers separated by commas.")) from None

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["options"] = question_options(self.cleaned_data.get("options_text", ""))
        data["rows"] = question_options(self.cleaned_data.get("rows_text", ""))
        code, values = self.cleaned_data.get("show_if_code"), self.cleaned_data.get("show_if_values") or []
        # Read here, not when the form is built: the version's page shows the form unbound.
        earlier = Question.objects.filter(section__version=self.version, code=code).first() if code else None
        if earlier is not None and earlier.kind in CHOICE_KINDS:
            # Options are numbered from 1 on the page; an answer keeps the option's index.
            values = [value - 1 for value in values]
        data["show_if"] = {"code": code or "", "values": values} if code or values else {}
        return data


class CampaignForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "title",
            "version",
            "academic_year",
            "audience",
            "graduation_year",
            "department",
            "programme",
            "process",
            "is_anonymous",
            "opens_on",
            "closes_on",
            "max_reminders",
            "reminder_every_days",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        published = QuestionnaireVersion.objects.filter(status=VersionStatus.PUBLISHED)
        self.fields["version"].queryset = published.select_related("questionnaire")  # type: ignore[attr-defined]


class CampaignEditForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = Campaign.editable_fields
        widgets = CampaignForm.Meta.widgets


# The public answering form ------------------------------------------------------------------


def _field_name(question: Question) -> str:
    return f"q{question.pk}"


def _row_name(question: Question, index: int) -> str:
    return f"q{question.pk}_r{index}"


class AnswerForm(forms.Form):
    """One field per question of the version (and an "other" text beside a choice that
    offers it); `answers()` gives what `services.response_submit` stores."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == QuestionKind.MATRIX:
                # One field per row, on the question's one scale.
                choices = [
                    (str(level), text) for level, text in enumerate(likert_labels(question.scale_points or 5), start=1)
                ]
                for index, label in enumerate(question.row_labels()):
                    self.fields[_row_name(question, index)] = forms.ChoiceField(
                        label=label,
                        required=False,
                        choices=choices,
                        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                    )
                continue
            self.fields[_field_name(question)] = self._field_for(question)
            if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE) and question.allows_other:
                self.fields[f"{_field_name(question)}_other"] = forms.CharField(
                    label=_("Other (say which)"), required=False, max_length=500
                )

    def _field_for(self, question: Question) -> forms.Field:
        label, required = question.text, False  # required answers are checked in clean() with a clear message
        kind = question.kind
        if kind == QuestionKind.LIKERT:
            points = question.scale_points or 5
            choices = [(str(level), text) for level, text in enumerate(likert_labels(points), start=1)]
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        if kind == QuestionKind.NPS:
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=[(str(n), str(n)) for n in range(11)],
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        options = [(str(index), text) for index, text in enumerate(question.option_labels())]
        if question.allows_other:
            options.append((OTHER, _("Other")))
        if kind == QuestionKind.SINGLE_CHOICE:
            return forms.ChoiceField(
                label=label,
                required=required,
                choices=options,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        if kind == QuestionKind.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                label=label,
                required=required,
                choices=options,
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            )
        if kind == QuestionKind.NUMBER:
            return forms.DecimalField(
                label=label,
                required=required,
                min_value=question.minimum,
                max_value=question.maximum,
                max_digits=12,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"inputmode": "decimal", "class": "form-control"}),
            )
        if kind == QuestionKind.DATE:
            return forms.DateField(
                label=label, required=required, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"})
            )
        return forms.CharField(
            label=label,
            required=required,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The questions whose show-if condition is met by the answers given: the others are
        # neither required nor checked (and the service drops what was sent for them).
        self.asked = asked_questions(self.questions, self.answers())
        for question in self.questions:
            name = _field_name(question)
            row_names = [_row_name(question, index) for index in range(len(question.rows))]
            if question.pk not in self.asked:
                for hidden in (name, f"{name}_other", *row_names):
                    self.errors.pop(hidden, None)
                    cleaned.pop(hidden, None)
                continue
            if question.kind == QuestionKind.MATRIX:
                # Required: every row answered, each row missing told on its own.
                if question.is_required:
                    for row_name in row_names:
                        if row_name not in self.errors and cleaned.get(row_name) in (None, ""):
                            self.add_error(row_name, _("This row needs an answer."))
                continue
            if name in self.errors:
                continue
            value, other = cleaned.get(name), (cleaned.get(f"{name}_other") or "").strip()
            if question.kind == QuestionKind.SINGLE_CHOICE:
                if value == OTHER and not other:
                    self.add_error(f"{name}_other", _("Say what “other” is."))
                elif other and value != OTHER:
                    self.add_error(f"{name}_other", _("Tick “other” to give another answer."))
            if question.kind == QuestionKind.MULTIPLE_CHOICE:
                if OTHER in (value or []) and not other:
                    self.add_error(f"{name}_other", _("Say what “other” is."))
                elif other and OTHER not in (value or []):
                    self.add_error(f"{name}_other", _("Tick “other” to give another answer."))
            empty = value in (None, "", []) or (isinstance(value, str) and not value.strip())
            if question.is_required and empty:
                self.add_error(name, _("This question needs an answer."))
        return cleaned

    def answers(self) -> dict[int, Any]:
        found: dict[int, Any] = {}
        for question in self.questions:
            name = _field_name(question)
            value = self.cleaned_data.get(name)
            other = (self.cleaned_data.get(f"{name}_other") or "").strip()
            if question.kind == QuestionKind.MATRIX:
                levels = [self.cleaned_data.get(_row_name(question, index)) for index in range(len(question.rows))]
                chosen = [int(level) if level not in (None, "") else None for level in levels]
                found[question.pk] = chosen if any(level is not None for level in chosen) else None
            elif question.kind in (QuestionKind.LIKERT, QuestionKind.NPS):
                found[question.pk] = int(value) if value not in (None, "") else None
            elif question.kind == QuestionKind.SINGLE_CHOICE:
                if value in (None, ""):
                    found[question.pk] = None
                else:
                    found[question.pk] = (None if value == OTHER else int(value), other if value == OTHER else "")
            elif question.kind == QuestionKind.MULTIPLE_CHOICE:
                indexes = [int(v) for v in value or [] if v != OTHER]
                found[question.pk] = (indexes, other if OTHER in (value or []) else "") if value else None
            elif question.kind == QuestionKind.NUMBER:
                found[question.pk] = Decimal(value) if value is not None else None
            elif question.kind == QuestionKind.TEXT:
                found[question.pk] = (value or "").strip() or None
            else:
                found[question.pk] = value
        return found

    def sections(self) -> list[tuple[Any, list[tuple[Question, Any, Any, str, list[Any]]]]]:
        """The bound fields grouped by section, with the sentence of a question's condition
        and, for a matrix, the bound field of each row (it has no field of its own), for the
        template."""
        grouped: list[tuple[Any, list[tuple[Question, Any, Any, str, list[Any]]]]] = []
        conditions = self.conditions()
        for question in self.questions:
            if not grouped or grouped[-1][0] != question.section:
                grouped.append((question.section, []))
            name = _field_name(question)
            other = self[f"{name}_other"] if f"{name}_other" in self.fields else None
            field = self[name] if name in self.fields else None
            rows = [self[_row_name(question, index)] for index in range(len(question.rows))]
            if question.kind != QuestionKind.MATRIX:
                rows = []
            grouped[-1][1].append((question, field, other, conditions.get(question.pk, ""), rows))
        return grouped

    def conditions(self) -> dict[int, str]:
        """Per question asked only on a condition, the sentence that says when to answer it."""
        by_code = {question.code: question for question in self.questions}
        found = {}
        for question in self.questions:
            earlier = by_code.get(question.show_if.get("code", "")) if question.show_if else None
            if earlier is None:
                continue
            values = question.show_if.get("values", [])
            if earlier.kind == QuestionKind.LIKERT:
                labels = likert_labels(earlier.scale_points or 5)
                answers = [labels[v - 1] for v in values if 0 < v <= len(labels)]
            elif earlier.kind in CHOICE_KINDS:
                labels = earlier.option_labels()
                answers = [labels[v] for v in values if 0 <= v < len(labels)]
            else:
                answers = [str(v) for v in values]
            found[question.pk] = _("Answer only if you answered %(answers)s to “%(question)s”.") % {
                "answers": " / ".join(f"“{answer}”" for answer in answers),
                "question": earlier.text,
            }
        return found
