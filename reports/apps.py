from django.apps import AppConfig
from django.db.backends.signals import connection_created


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from .models import StoredSHA256, sqlite_sha256

        connection.connection.create_function(StoredSHA256.SQLITE_SHA256, 1, sqlite_sha256, deterministic=True)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        connection_created.connect(register_sqlite_functions, dispatch_uid="reports-sqlite-functions")
