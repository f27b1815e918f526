from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "goals"
    verbose_name = "Strategy"

    def ready(self):
        # The header shows "My updates" / "To review" from flags kept in the session at sign-in.
        from django.contrib.auth.signals import user_logged_in

        from goals.cycle.selectors import remember_cycle_roles_at_sign_in

        user_logged_in.connect(remember_cycle_roles_at_sign_in, dispatch_uid="goals.remember_cycle_roles")

        from goals.accounts import security, sessions

        security.connect_signals()

        from goals.models import versioning

        versioning.connect_signals()
        user_logged_in.connect(sessions.mark_signed_in, dispatch_uid="goals.accounts.mark_signed_in")
