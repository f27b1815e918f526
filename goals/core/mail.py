"""Emails sent through the background queue (django-tasks): a slow mail server never holds up the
request that caused the email. `queue_email(message)` takes a built EmailMultiAlternatives and
queues what it says; the worker (`manage.py db_worker`) sends it."""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_email_task(*, subject: str, body: str, from_email: str, to: list[str], alternatives: list[list[str]]) -> int:
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    return message.send()


def queue_email(message: EmailMultiAlternatives) -> int:
    """Queue `message` to be sent by the worker; 1 (one message queued), like `send()` returns."""
    send_email_task.enqueue(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=list(message.to),
        alternatives=[[content, mimetype] for content, mimetype in message.alternatives],
    )
    return 1
