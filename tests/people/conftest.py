import pytest

from tests import factories


@pytest.fixture
def directory(cycle, admin_user):
    """The `cycle` strategy ("Better Care") with an extra person named nowhere, and a second
    strategy whose only person (its SRO) is named nowhere else."""
    from types import SimpleNamespace

    added = factories.PersonFactory(key="added", name="Ada Added", job_title="Analyst")
    elsewhere = factories.StrategyFactory(name="Elsewhere", slug="elsewhere")
    stranger = factories.PersonFactory(key="stranger", name="Stan Stranger", job_title="Director of Elsewhere")
    elsewhere.sro = stranger
    elsewhere.save()
    return SimpleNamespace(cycle=cycle, strategy=cycle.strategy, added=added, elsewhere=elsewhere, stranger=stranger)
