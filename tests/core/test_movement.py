import pytest
from django.test import override_settings

from goals.core.choices import RAG, RiskBand
from goals.core.movement import Direction, Movement, rag_movement, risk_band, risk_direction


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (RAG.AMBER, RAG.GREEN, Movement.IMPROVED),
        (RAG.RED, RAG.AMBER, Movement.IMPROVED),
        (RAG.GREEN, RAG.BLUE, Movement.IMPROVED),
        (RAG.GREEN, RAG.AMBER, Movement.DETERIORATED),
        (RAG.AMBER, RAG.RED, Movement.DETERIORATED),
        (RAG.GREEN, RAG.GREEN, Movement.UNCHANGED),
        (None, RAG.GREEN, Movement.NEW),  # no update last quarter
        ("", RAG.RED, Movement.NEW),  # last quarter's update was not rated
        (RAG.GREEN, "", Movement.NOT_RATED),
    ],
)
def test_rag_movement(previous, current, expected):
    assert rag_movement(previous, current) == expected


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        (12, 20, Direction.UP),
        (20, 12, Direction.DOWN),
        (9, 9, Direction.SAME),
        (None, 9, Direction.NEW),
        (9, None, None),
    ],
)
def test_risk_direction_is_derived_from_the_previous_score(previous, current, expected):
    assert risk_direction(previous, current) == expected


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, RiskBand.LOW),
        (3, RiskBand.LOW),
        (4, RiskBand.MODERATE),
        (6, RiskBand.MODERATE),
        (8, RiskBand.HIGH),
        (12, RiskBand.HIGH),
        (15, RiskBand.EXTREME),
        (25, RiskBand.EXTREME),
    ],
)
def test_default_risk_bands(score, band):
    assert risk_band(score) == band


@override_settings(RISK_BANDS=[(4, "low"), (9, "moderate"), (16, "high"), (25, "extreme")])
def test_risk_bands_are_configurable():
    assert risk_band(9) == RiskBand.MODERATE
    assert risk_band(16) == RiskBand.HIGH
