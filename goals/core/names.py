"""How a user is named on pages, in emails and in histories: one way, `display_name`."""


def display_name(user, nobody: str = "someone") -> str:
    """A user's full name, else their username; `nobody` when there is no user."""
    if not user:
        return nobody
    return user.get_full_name() or user.get_username()
