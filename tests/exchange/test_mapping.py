"""The HTCDS mapping is data, checked at load against our codes and the standard's picklists."""

import tomllib
from pathlib import Path
from typing import Any

import pytest

from opennrm.detection import htcds
from opennrm.exchange.mapping import DATA, MappingError, load, parse
from opennrm.exchange.xlsx import read

TEMPLATE = Path("/work/shared/reference/htcds/Toolkit/Excel/HTCDS Excel Spreadsheet v2.0.xlsx")


def _data() -> dict[str, Any]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def test_the_mapping_loads_and_covers_every_code() -> None:
    mapping = load()
    assert set(mapping.fields) == {
        "forms",
        "sectors",
        "recruitment_methods",
        "control_means",
        "relation_to_exploiter",
        "sex",
        "status",
    }
    assert mapping.version == "2.0"


def test_the_mapping_agrees_with_the_detection_step_table() -> None:
    """detection/htcds.py (statistics) and the exchange data say the same."""
    mapping = load()
    assert mapping.fields["forms"].export == htcds.TYPES_OF_EXPLOITATION
    assert mapping.fields["control_means"].export == htcds.CONTROL_METHODS
    assert mapping.fields["recruitment_methods"].export == htcds.RECRUITMENT_METHODS
    sectors = {k: v or None for k, v in mapping.fields["sectors"].export.items()}
    assert sectors == htcds.ISIC_SECTIONS
    for name, values in htcds.STANDARD_VALUES.items():
        if name in mapping.by_htcds():
            assert set(mapping.by_htcds()[name].picklist) == values


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["fields"]["sex"]["export"].pop("male"), "codes not mapped: male"),
        (lambda d: d["fields"]["sex"]["export"].update(robot="Masculine"), "not codes of ours"),
        (lambda d: d["fields"]["sex"]["export"].update(male="Man"), "not values of prs_Gender"),
        (lambda d: d["fields"]["sex"]["import"].pop("Feminine"), "values not mapped: Feminine"),
        (lambda d: d["fields"]["sex"]["import"].update(Feminine="f"), "not codes of ours: f"),
        (lambda d: d["fields"]["sex"].update(source="enum:cases.Nothing"), "unknown source"),
    ],
)
def test_an_inconsistent_mapping_is_refused_naming_the_key(change: Any, message: str) -> None:
    data = _data()
    change(data)
    with pytest.raises(MappingError, match=message):
        parse(data)


@pytest.mark.skipif(not TEMPLATE.exists(), reason="the HTCDS toolkit is not on this machine")
def test_the_excel_columns_are_the_templates() -> None:
    rows = read(TEMPLATE.read_bytes())
    columns = load().excel
    assert [c.name for c in columns][1:] == [rows[1].get(i, "") for i in range(1, len(columns))]
    assert [c.label for c in columns][1:] == [rows[2].get(i, "") for i in range(1, len(columns))]
