"""The tokens made before this release lived in DRF's authtoken table, key in clear. Each one
becomes a read and write token (what it could do) expiring when it did, stored by its hash; the
old table, which held the keys themselves, is then dropped (the authtoken app is no longer
installed, so this reads it by SQL when it exists)."""

import datetime
import hashlib

from django.conf import settings
from django.db import migrations
from django.utils.dateparse import parse_datetime

OLD_TABLE = "authtoken_token"


def move_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("api", "ApiToken")
    lifetime = datetime.timedelta(days=getattr(settings, "API_TOKEN_LIFETIME_DAYS", 90))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id, created FROM {OLD_TABLE}")
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        if isinstance(created, str):
            created = parse_datetime(created)
        if created.tzinfo is None:  # SQLite keeps UTC without its offset
            created = created.replace(tzinfo=datetime.UTC)
        ApiToken.objects.create(
            owner_id=user_id,
            name="Token made before scoped tokens",
            scope="read-write",
            key_prefix=key[:8],
            key_hash=hashlib.sha256(key.encode()).hexdigest(),
            created_at=created,
            expires_at=created + lifetime,
        )
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("api", "0001_api_tokens")]

    operations = [migrations.RunPython(move_tokens, migrations.RunPython.noop)]
