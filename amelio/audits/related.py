"""Where an improvement item came from, shown on its page (core.registry's related
records): the audit finding it was raised from, linked to the finding and its audit when
the reader may see the audit, named without links otherwise (the item's description names
the finding already, so nothing is disclosed that the item does not say)."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html
from django.utils.translation import gettext as _

from amelio.core.permissions import can
from amelio.core.registry import register_related_records

from .models import Finding


def item_finding(user: Any, item: Any) -> list[dict[str, Any]]:
    finding = Finding.objects.select_related("audit").filter(improvement_item_id=item.pk).first()
    if finding is None:
        return []
    audit = finding.audit
    finding_name = f"{audit.reference}-{finding.number:02d}"
    if can(user, "audits.view_audit", audit):
        text = format_html(
            _("Raised from finding {finding} ({grade}) of audit {audit}"),
            finding=format_html(
                '<a href="{}" data-testid="related-finding">{}</a>', finding.get_absolute_url(), finding_name
            ),
            grade=finding.get_grade_display(),
            audit=format_html(
                '<a href="{}" data-testid="related-audit">{} {}</a>',
                audit.get_absolute_url(),
                audit.reference,
                audit.title,
            ),
        )
    else:
        text = format_html(
            _("Raised from finding {finding} ({grade}) of audit {audit}"),
            finding=finding_name,
            grade=finding.get_grade_display(),
            audit=audit.reference,
        )
    return [{"heading": _("Audit finding"), "text": text, "testid": "related-audit-finding"}]


register_related_records("improvement.improvementitem", name="audit_finding", order=10, build=item_finding)
