"""State machines declared once, as data, and the one engine that applies them.

Each app declares, in its `workflows.py`, one `Workflow` per entity that moves through
states: for each `Transition` its source states, its target, the permission that allows it
(one, or one per source state), whether a reason is required, whether files may come with
it, its extra form, and the service that performs it. From that one declaration:

- the service applies the transition through `Workflow.apply` (permission, locked row, state
  check, the app's precondition, validation, history with the reason, one transaction), and
  nothing changes when anything is refused;
- the page offers exactly the transitions `Workflow.offered` lists for this person and this
  record now (the same permission and state checks the service makes), through one template
  include (`core/_workflow_steps.html`);
- one generic view (`core.views.TransitionView`) shows a transition's form and hands the valid
  data to the declared service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amelio.history.choices import HistoryAction
from amelio.history.services import diff, history_record, snapshot

from .forms import MultipleFileField, StyledFormMixin
from .permissions import can, require

if TYPE_CHECKING:  # django-stubs is a development dependency only
    from django_stubs_ext import StrOrPromise

RecordT = TypeVar("RecordT", bound=models.Model)

# Whether a transition asks for a reason.
NO_REASON = "none"
OPTIONAL_REASON = "optional"
REQUIRED_REASON = "required"

# The code of the ValidationError raised when the record is not in a source state: the
# refusal that says "not now", as opposed to a precondition or an input that is wrong.
NOT_FROM_THIS_STATE = "not_from_this_state"

DEFAULT_REASON_LABEL = gettext_lazy("Reason")
DEFAULT_FILES_LABEL = gettext_lazy("Files")


def _keep_loaded_relations(record: models.Model, locked: models.Model) -> None:
    """The caller's record already holds the rows it points to (an internship its student,
    company and tutors): the locked copy of the same row takes them rather than reading each
    again for its checks and its history line, where the key is unchanged."""
    for name, related in record._state.fields_cache.items():
        try:
            field = locked._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if (
            isinstance(field, models.ForeignKey)
            and related is not None
            and getattr(locked, field.attname) == related.pk
        ):
            locked._state.fields_cache[name] = related


def _take_saved_state(record: models.Model, locked: models.Model) -> None:
    """The caller's record becomes the row as saved, without reading it again: the locked
    copy holds every value written, and the related rows either side had loaded stay loaded
    where their key is unchanged (a step is applied thousands of times when a school's
    archives or the demo are loaded; a read and the lazy reloads after it doubled its cost).
    A value the database computes (a generated column, an expression) is read back."""
    computed = any(
        isinstance(model_field, models.GeneratedField)
        or hasattr(getattr(locked, model_field.attname), "resolve_expression")
        for model_field in locked._meta.concrete_fields
    )
    if computed:
        record.refresh_from_db()
        return
    record._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    deferred = record.get_deferred_fields()  # reading one would query it
    for model_field in record._meta.concrete_fields:
        changed = model_field.attname in deferred or getattr(record, model_field.attname) != getattr(
            locked, model_field.attname
        )
        setattr(record, model_field.attname, getattr(locked, model_field.attname))
        if isinstance(model_field, models.ForeignKey):
            if model_field.is_cached(locked):
                model_field.set_cached_value(record, model_field.get_cached_value(locked))
            elif changed and model_field.is_cached(record):
                model_field.delete_cached_value(record)
    for relation in record._meta.related_objects:
        if isinstance(relation, models.OneToOneRel) and relation.is_cached(record):
            relation.delete_cached_value(record)


@dataclass(frozen=True)
class Transition:
    """One move of a state machine.

    `permission` is a rule name, or a mapping {source state: rule name} when who may do it
    depends on where the record stands. `service` is the dotted path of the service that
    performs it; it is called as service(actor=..., <record argument>=record, **data), where
    data holds `reason` (when one is asked), `files` (when files may come) and the fields of
    `form`, renamed by `arguments` ({form field: service keyword}); with `data_argument`,
    the fields of `form` are passed together as one dict under that keyword."""

    name: str
    sources: frozenset[str]
    target: str
    permission: str | Mapping[str, str]
    service: str
    reason: str = NO_REASON
    reason_label: StrOrPromise = DEFAULT_REASON_LABEL
    files: bool = False
    files_label: StrOrPromise = DEFAULT_FILES_LABEL
    form: type[forms.BaseForm] | str | None = None
    arguments: Mapping[str, str] = field(default_factory=dict)
    data_argument: str | None = None
    style: str = "primary"
    # By default the label of `name` when it is a member of the app's TextChoices of transitions.
    label: StrOrPromise = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", getattr(self.name, "label", self.name))

    def permission_for(self, status: str) -> str:
        if isinstance(self.permission, str):
            return self.permission
        if status in self.permission:
            return self.permission[status]
        return next(iter(self.permission.values()))

    @property
    def has_form(self) -> bool:
        return self.reason != NO_REASON or self.files or self.form is not None

    @property
    def is_danger(self) -> bool:
        return "danger" in self.style


class Workflow:
    """The state machine of one model: its transitions, the selector that fetches a record
    for a user (so a record out of sight is a 404), the URL name of its transition view, and
    the message refusing a transition from a wrong state (with %(transition)s and %(status)s)."""

    def __init__(
        self,
        *,
        name: str,
        record_argument: str,
        selector: str,
        url_name: str,
        refused: StrOrPromise,
        transitions: Iterable[Transition],
        status_field: str = "status",
        validate: bool = True,
    ) -> None:
        self.name = name
        self.record_argument = record_argument
        self.selector = selector
        self.url_name = url_name
        self.refused = refused
        self.status_field = status_field
        # Off for a model whose own rules are checked by the transitions' preconditions.
        self.validate = validate
        self.transitions: dict[str, Transition] = {}
        for transition in transitions:
            if transition.name in self.transitions:
                raise ValueError(f"Transition {transition.name!r} of {name} is declared twice.")
            self.transitions[transition.name] = transition

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __iter__(self) -> Any:
        return iter(self.transitions.values())

    def get(self, name: str) -> Transition | None:
        return self.transitions.get(name)

    def states(self) -> set[str]:
        found: set[str] = set()
        for transition in self:
            found |= set(transition.sources) | {transition.target}
        return found

    def status_of(self, record: models.Model) -> str:
        return str(getattr(record, self.status_field))

    # What a person may do now --------------------------------------------------------

    def may(self, user: Any, record: models.Model, transition: Transition) -> bool:
        status = self.status_of(record)
        return status in transition.sources and can(user, transition.permission_for(status), record)

    def offered(self, user: Any, record: models.Model) -> list[Transition]:
        """The transitions `user` may apply to `record` in its present state: exactly those
        the service accepts on state and permission (a precondition on the data may still
        refuse, with its reason)."""
        return [transition for transition in self if self.may(user, record, transition)]

    def steps(self, user: Any, record: models.Model) -> list[dict[str, Any]]:
        """What the step buttons of a page need (core/_workflow_steps.html)."""
        return [
            {
                "name": transition.name,
                "label": transition.label,
                "style": transition.style,
                "has_form": transition.has_form,
                "url": reverse(self.url_name, args=[record.pk, transition.name]),
            }
            for transition in self.offered(user, record)
        ]

    # The form and the service of a transition -----------------------------------------

    def form_class(self, transition: Transition) -> type[forms.BaseForm]:
        base: Any = transition.form or forms.Form
        if isinstance(base, str):
            base = import_string(base)
        attributes: dict[str, Any] = {}
        if transition.reason != NO_REASON:
            attributes["reason"] = forms.CharField(
                label=transition.reason_label,
                required=transition.reason == REQUIRED_REASON,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=5000,
            )
        if transition.files:
            attributes["files"] = MultipleFileField(label=transition.files_label, required=False)
        bases = (base,) if issubclass(base, StyledFormMixin) else (StyledFormMixin, base)
        return type(f"{transition.name.title().replace('_', '')}TransitionForm", bases, attributes)

    def service_data(self, transition: Transition, form: forms.BaseForm) -> dict[str, Any]:
        data = dict(form.cleaned_data)
        if transition.data_argument:
            bundled = {name: value for name, value in data.items() if name not in ("reason", "files")}
            data = {name: value for name, value in data.items() if name in ("reason", "files")}
            data[transition.data_argument] = bundled
        return {transition.arguments.get(name, name): value for name, value in data.items()}

    def perform(self, *, actor: Any, record: models.Model, transition: str, data: Mapping[str, Any]) -> Any:
        """Call the declared service of `transition` (what the generic view does)."""
        service: Callable[..., Any] = import_string(self[transition].service)
        return service(actor=actor, **{self.record_argument: record}, **data)

    # Applying a transition -----------------------------------------------------------

    def apply(
        self,
        *,
        actor: Any,
        record: RecordT,
        transition: str,
        reason: str = "",
        fields: Mapping[str, Any] | None = None,
        precondition: Callable[[RecordT], None] | None = None,
        prepare: Callable[[RecordT], None] | None = None,
        extra_tracked: Iterable[str] = (),
    ) -> RecordT:
        """Move `record` along `transition`: check the permission, lock the row, refuse
        (translated, naming the state) unless it stands in a source state, check the reason,
        set `fields`, run `prepare` (e.g. attach a file) then `precondition`, validate, save
        and record the history with the reason, all in one transaction. Returns `record`
        refreshed. Nothing changes when anything is refused."""
        step = self[transition]
        reason = (reason or "").strip()
        require(actor, step.permission_for(self.status_of(record)), record)
        with transaction.atomic():
            locked = type(record)._default_manager.select_for_update().get(pk=record.pk)
            _keep_loaded_relations(record, locked)
            status = self.status_of(locked)
            if status not in step.sources:
                status_display = getattr(locked, f"get_{self.status_field}_display")()
                raise ValidationError(
                    self.refused % {"transition": step.label, "status": status_display}, code=NOT_FROM_THIS_STATE
                )
            require(actor, step.permission_for(status), locked)
            if step.reason == REQUIRED_REASON and not reason:
                raise ValidationError({"reason": _("Give the reason.")}, code="required")
            tracked = [self.status_field, *(fields or {}), *extra_tracked]
            before = snapshot(locked, tracked)
            for name, value in (fields or {}).items():
                setattr(locked, name, value)
            if prepare is not None:
                prepare(locked)
            if precondition is not None:
                precondition(locked)
            setattr(locked, self.status_field, step.target)
            if self.validate:
                locked.full_clean()
            locked.save()
            history_record(
                instance=locked,
                action=HistoryAction.TRANSITION,
                actor=actor,
                changes=diff(before, snapshot(locked, tracked)),
                reason=reason,
            )
        _take_saved_state(record, locked)
        return record
