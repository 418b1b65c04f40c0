"""Database constraints that speak to the person: each says, in a translated sentence,
what is wrong, and next to which field, instead of Django's default "Constraint
“name” is violated." The rule itself stays in the database."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models


class FieldErrorMixin:
    """Reports a violation on `field` (a field of the form to correct) rather than at the
    top of the form. The field is not part of the SQL: changing it needs no database change."""

    non_db_attrs = (*models.BaseConstraint.non_db_attrs, "field")

    def __init__(self, *args: Any, field: str | None = None, **kwargs: Any) -> None:
        if not kwargs.get("violation_error_message"):
            raise ValueError("A constraint of the application says what is wrong: give violation_error_message.")
        self.field = field
        super().__init__(*args, **kwargs)

    def validate(self, model: Any, instance: Any, exclude: Any = None, using: str = DEFAULT_DB_ALIAS) -> None:
        try:
            super().validate(model, instance, exclude=exclude, using=using)  # type: ignore[misc]
        except ValidationError as error:
            if self.field is None:
                raise
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self) -> Any:
        path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        if self.field is not None:
            kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other: object) -> bool:
        equal = super().__eq__(other)
        if equal is NotImplemented or not equal:
            return equal  # type: ignore[no-any-return]
        return self.field == getattr(other, "field", None)


class CheckConstraint(FieldErrorMixin, models.CheckConstraint):
    pass


class UniqueConstraint(FieldErrorMixin, models.UniqueConstraint):
    pass
