"""manage.py export_report: the same pack as the browser, for scripted board-paper runs."""

import io

import pytest
from django.core.management import CommandError, call_command

from goals.core.choices import UpdateState
from tests import factories


@pytest.fixture
def q3(cycle):
    factories.ActionUpdateFactory(
        action=cycle.action, period=cycle.period, rag="green", progress="Waits are down.", state=UpdateState.SUBMITTED
    )
    return cycle.period


@pytest.mark.parametrize("name", ["html", "pdf", "docx", "xlsx"])
def test_it_writes_the_pack_to_the_file_given(q3, tmp_path, name):
    target = tmp_path / f"pack.{name}"
    stderr = io.StringIO()
    call_command(
        "export_report",
        "better-care",
        "2024-Q3",
        "--layout",
        "progress",
        "--format",
        name,
        "-o",
        str(target),
        stderr=stderr,
    )
    content = target.read_bytes()
    assert content[:4] in {b"%PDF", b"PK\x03\x04", b"<!DO"}
    assert f"Wrote {target}" in stderr.getvalue()


def test_without_o_it_names_the_file_like_the_download(q3, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("export_report", "better-care", "Q3 2024/25", "--format", "html", stderr=io.StringIO())
    html = (tmp_path / "better-care-2024-Q3-progress.html").read_text()
    assert "Waits are down." in html


def test_the_layout_defaults_to_the_strategys_own(q3, tmp_path):
    q3.strategy.default_layout = "highlight"
    q3.strategy.save()
    target = tmp_path / "pack.html"
    call_command("export_report", "better-care", "2024-Q3", "--format", "html", "-o", str(target), stderr=io.StringIO())
    assert "Highlight Report" in target.read_text()


def test_unknown_strategies_and_quarters_are_clear_errors(q3, tmp_path):
    for strategy, quarter in [("no-such-strategy", "2024-Q3"), ("better-care", "2031-Q1"), ("better-care", "Q5")]:
        with pytest.raises(CommandError, match="No quarter"):
            call_command("export_report", strategy, quarter, "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError):
        call_command("export_report", "better-care", "2024-Q3", "--format", "exe")
    with pytest.raises(CommandError):
        call_command("export_report", "better-care", "2024-Q3", "--layout", "poster")


def test_an_unwritable_target_is_a_clear_error(q3, tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command(
            "export_report",
            "better-care",
            "2024-Q3",
            "--format",
            "html",
            "-o",
            str(tmp_path / "missing-dir" / "x.html"),
        )
