"""The mapping of OpenNRM's codes to HTCDS fields and picklists, read from data and checked.

`load()` reads `data/htcds-2.0.toml` and refuses it, naming the key, when an OpenNRM code of a
source is not mapped or names no code of ours, or when a value is not one of the standard's
picklist values. The result is cached: the file is part of the code's release.
"""

import importlib
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from django.apps import apps
from django.db import models

from opennrm.profiles.loader import active_profile

DATA = Path(__file__).parent / "data" / "htcds-2.0.toml"


class MappingError(ValueError):
    """The mapping file is not consistent with our codes or the standard's picklists."""


@dataclass(frozen=True)
class FieldMap:
    key: str  # our name (the AccountFacts / Case / Person field)
    htcds: str  # the standard's field name
    multiple: bool
    export: dict[str, str]  # our code -> HTCDS value ("" = left out)
    reverse: dict[str, str]  # HTCDS value -> our code ("" = none)
    picklist: tuple[str, ...]

    def to_htcds(self, codes: list[str]) -> list[str]:
        values: list[str] = []
        for code in codes:
            value = self.export.get(code, "Other" if "Other" in self.picklist else "")
            if value and value not in values:
                values.append(value)
        return values


@dataclass(frozen=True)
class ExcelColumn:
    column: str
    name: str
    label: str


@dataclass(frozen=True)
class Mapping:
    version: str
    separator: str
    fields: dict[str, FieldMap]  # by our key
    countries: dict[str, str]  # HTCDS field -> our key
    excel: tuple[ExcelColumn, ...]
    excel_aliases: dict[str, str]

    def by_htcds(self) -> dict[str, FieldMap]:
        return {field.htcds: field for field in self.fields.values()}


def _codes(source: str) -> set[str]:
    kind, _sep, name = source.partition(":")
    if kind == "profile" and name == "forms_of_exploitation":
        return {form.code for form in active_profile().forms_of_exploitation}
    if kind == "enum":
        app_label, _dot, class_name = name.partition(".")
        try:
            enums = importlib.import_module(f"{apps.get_app_config(app_label).name}.enums")
        except (LookupError, ImportError) as error:
            raise MappingError(f"{source!r}: unknown source of codes") from error
        choices = getattr(enums, class_name, None)
        if isinstance(choices, type) and issubclass(choices, models.TextChoices):
            return set(choices.values)
    raise MappingError(f"{source!r}: unknown source of codes")


def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def parse(data: dict[str, Any]) -> Mapping:
    picklists: dict[str, list[str]] = data["picklists"]
    fields: dict[str, FieldMap] = {}
    for key, spec in data["fields"].items():
        where = f"fields.{key}"
        htcds = spec["htcds"]
        if htcds not in picklists:
            raise MappingError(f"{where}.htcds: {htcds!r} has no picklist in [picklists]")
        picklist = tuple(picklists[htcds])
        codes = _codes(spec["source"])
        export: dict[str, str] = spec["export"]
        reverse: dict[str, str] = spec["import"]
        if missing := sorted(codes - set(export)):
            raise MappingError(f"{where}.export: codes not mapped: {', '.join(missing)}")
        if unknown := sorted(set(export) - codes):
            raise MappingError(f"{where}.export: not codes of ours: {', '.join(unknown)}")
        if bad := sorted({v for v in export.values() if v} - set(picklist)):
            raise MappingError(f"{where}.export: not values of {htcds}: {', '.join(bad)}")
        if missing := sorted(set(picklist) - set(reverse)):
            raise MappingError(f"{where}.import: values not mapped: {', '.join(missing)}")
        if bad := sorted(set(reverse) - set(picklist)):
            raise MappingError(f"{where}.import: not values of {htcds}: {', '.join(bad)}")
        if unknown := sorted({c for c in reverse.values() if c} - codes):
            raise MappingError(f"{where}.import: not codes of ours: {', '.join(unknown)}")
        fields[key] = FieldMap(key, htcds, bool(spec["multiple"]), export, reverse, picklist)
    excel = tuple(ExcelColumn(c["column"], c["name"], c["label"]) for c in data["excel"])
    return Mapping(
        version=data["standard"]["version"],
        separator=data["standard"]["excel_separator"],
        fields=fields,
        countries=dict(data["countries"]),
        excel=excel,
        excel_aliases=dict(data.get("excel_aliases", {})),
    )


@cache
def load() -> Mapping:
    with DATA.open("rb") as handle:
        return parse(tomllib.load(handle))
