"""What a load balancer asks: can this process reach the database, and is the task worker keeping up?"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

DATABASE_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"
# A task waiting longer than this for the worker means the worker is down or overwhelmed.
WORKER_LAG_SECONDS = 300


def database_health() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"status": "unavailable", "error": error.__class__.__name__}
    return {"status": "ok"}


def worker_health() -> dict:
    """With the database task backend: how many tasks are waiting and for how long; otherwise
    "not configured" (there is no worker to ask about)."""
    backend = getattr(settings, "TASKS", {}).get("default", {}).get("BACKEND", "")
    if backend != DATABASE_TASKS_BACKEND:
        return {"status": "not configured"}
    from django_tasks_db.models import DBTaskResult

    try:
        waiting = DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True)
        count, oldest = waiting.count(), waiting.first()
    except DatabaseError as error:
        return {"status": "unavailable", "error": error.__class__.__name__}
    lag = (timezone.now() - oldest).total_seconds() if oldest else 0
    return {"status": "ok" if lag < WORKER_LAG_SECONDS else "behind", "queued": count, "oldest_seconds": round(lag)}


def service_health() -> tuple[bool, dict]:
    """(healthy, report): healthy when the database answers; the worker is reported, not required
    (pages work without it)."""
    database = database_health()
    report = {"database": database, "worker": worker_health() if database["status"] == "ok" else {"status": "unknown"}}
    healthy = database["status"] == "ok"
    return healthy, {"status": "ok" if healthy else "unavailable", **report}
