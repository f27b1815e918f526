"""How people are named on pages, in emails and in histories: a user by `display_name`, a person
with their job title by `name_and_title`."""


def display_name(user, nobody: str = "someone") -> str:
    """A user's full name, else their username; `nobody` when there is no user."""
    if not user:
        return nobody
    return user.get_full_name() or user.get_username()


def name_and_title(name: str, job_title: str) -> str:
    """ "Sharon Murphy, Director of Finance", or the name alone when there is no title."""
    return f"{name}, {job_title}" if job_title else name
