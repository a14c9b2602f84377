"""Every `--kind` takes a partnership kind or a dependency kind (the ontology ties them:
kind:chip-supply al:dependencyKind dep:chips), and `list` refuses options that do not
apply to what it lists (they were silently ignored)."""

import json

import pytest


def test_risk_takes_a_partnership_kind_for_its_dependency_kind(cli):
    by_partnership = cli("risk", "nvidia", "--kind", "chip-supply", "--format", "json")
    by_dependency = cli("risk", "nvidia", "--kind", "chips", "--format", "json")
    assert by_partnership.exit_code == 0
    assert json.loads(by_partnership.stdout) == json.loads(by_dependency.stdout)


def test_a_partnership_kind_without_dependency_is_one_error_line(cli):
    result = cli("metrics", "concentration", "--kind", "regulatory-review")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "'regulatory-review' creates no dependency" in result.stderr


def test_an_unknown_kind_gets_a_did_you_mean(cli):
    result = cli("risk", "nvidia", "--kind", "chipz")
    assert result.exit_code == 2
    assert "did you mean 'chips'?" in result.stderr


def test_money_and_list_take_a_dependency_kind_for_its_partnership_kinds(cli):
    listed = json.loads(cli("list", "partnerships", "--kind", "chips", "--format", "json").stdout)
    assert {row["kind"] for row in listed} == {"chip-supply", "custom-silicon"}
    assert [row["id"] for row in listed] == sorted(row["id"] for row in listed)
    alone = json.loads(cli("list", "partnerships", "--kind", "custom-silicon", "--format", "json").stdout)
    assert {row["id"] for row in alone} < {row["id"] for row in listed}
    flows = json.loads(cli("money", "--kind", "chips", "--format", "json").stdout)
    assert flows and {row["kind"] for row in flows["flows"]} <= {"chip-supply", "custom-silicon"}


@pytest.mark.parametrize("args, message", [
    (["list", "companies", "--kind", "investment"], "--kind applies to partnerships"),
    (["list", "partnerships", "--metric", "capex"], "--metric applies to observations"),
    (["list", "chips", "--as-of", "2024"], "--as-of applies to partnerships and observations"),
])
def test_list_refuses_options_that_do_not_apply(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_list_infers_what_from_its_options(cli):
    assert cli("list", "--kind", "investment").stdout == cli("list", "partnerships", "--kind",
                                                            "investment").stdout
    assert cli("list", "--metric", "capex").stdout == cli("list", "observations", "--metric", "capex").stdout
