from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationConfig(AppConfig):
    name = "amelio.organisation"
    verbose_name = _("organisation")

    def ready(self) -> None:
        from amelio.core.emails import register_recipient_language
        from amelio.core.files import register_file_owner
        from amelio.core.permissions import register_roles_loader

        from . import (
            navigation,  # noqa: F401  (adds its entries to the menu)
            rules,  # noqa: F401  (registers the permission rules)
        )
        from .permissions import roles_of
        from .selectors import recipient_language

        register_roles_loader(roles_of)
        register_recipient_language(recipient_language)
        # The school's logo: shown on its page and printed in PDFs.
        register_file_owner("organisation.school", view_permission="organisation.view_staff_pages")
