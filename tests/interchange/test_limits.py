"""Import limits: a hostile document is refused quickly, with a clear message, and nothing built."""

import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goals import models as m
from goals.interchange.exporter import dump_yaml
from goals.interchange.importer import StrategyImportError, import_strategy, load_yaml, validate_document
from goals.interchange.loader import MAX_DEPTH

BILLION_LAUGHS = "\n".join(
    ['lol0: &lol0 "lol"']
    + [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 10)}]" for n in range(1, 10)]
    + ["format: *lol9"]
)


def refused(text) -> str:
    started = time.perf_counter()
    data, _lines, errors = load_yaml(text)
    assert time.perf_counter() - started < 2
    assert data is None
    assert len(errors) == 1
    return str(errors[0])


def test_a_billion_laughs_document_is_refused_at_its_first_alias():
    message = refused(BILLION_LAUGHS)
    assert message.startswith("(document): YAML aliases are not accepted")
    assert '"*lol0"' in message and "line 2" in message


def test_a_merge_key_is_an_alias_too():
    assert "aliases are not accepted" in refused("base: &base {a: 1}\nother:\n  <<: *base\n")


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, "{a: " * 100_000 + "}" * 100_000, "".join(f"{' ' * n}- \n" for n in range(2_000))],
    ids=["flow lists", "flow mappings", "block lists"],
)
def test_deep_nesting_is_refused_without_crashing(text):
    assert f"nests more than {MAX_DEPTH} levels deep" in refused(text)


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(settings):
    settings.IMPORT_MAX_BYTES = 1000
    message = refused("a: " + "x" * 2000)
    assert message == "(document): the file is 2,003 bytes; the largest file an import reads is 1,000 bytes"


def test_the_default_limit_is_five_megabytes():
    assert "the largest file an import reads is 5.0 MB" in refused(b"a: " + b"x" * (5 * 1024 * 1024))


@pytest.mark.django_db
def test_an_anchor_without_an_alias_is_accepted(minimal_document):
    text = dump_yaml(minimal_document).replace("name: Minimal Strategy", "name: &name Minimal Strategy")
    assert validate_document(text) == []


@pytest.mark.django_db
def test_the_import_and_the_command_refuse_an_attack_and_write_nothing(tmp_path):
    with pytest.raises(StrategyImportError, match="aliases are not accepted"):
        import_strategy(BILLION_LAUGHS)
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 100_000)
    with pytest.raises(CommandError):
        call_command("import_strategy", str(path))
    assert not m.Strategy.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_a_file_over_the_limit_before_reading_it(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 1000
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 5000)
    with pytest.raises(CommandError, match=r"big.yaml: the file is 5,003 bytes; the largest file an import reads"):
        call_command("import_strategy", str(path))
