"""The indicators JSON API: staff only, lists, evaluation, errors that name what is unknown."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import Cast
from tests.indicators.helpers import codes, plain

pytestmark = pytest.mark.django_db

BASE = "/api/v1/indicators"


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post(f"{BASE}/evaluate", data=json.dumps(body), content_type="application/json")


def presumed_adult_answers() -> dict[str, str]:
    present = (
        codes("adults_labour", "deceptive_recruitment", "S", 1)
        + codes("adults_labour", "deceptive_recruitment", "M", 1)
        + codes("adults_labour", "exploitation", "S", 1)
        + codes("adults_labour", "exploitation", "M", 1)
        + codes("adults_labour", "coercion_destination", "S", 2)
    )
    return dict.fromkeys(present, "present") | {"AL-CR-01": "absent", "AL-VR-01": "unknown"}


# -------------------------------------------------------------------------- authentication


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", f"{BASE}/catalogues"),
        ("get", f"{BASE}/catalogues/2026.1/sets"),
        ("post", f"{BASE}/evaluate"),
    ],
)
def test_anonymous_callers_get_401_json_not_a_login_redirect(method: str, path: str) -> None:
    client = Client()
    response = client.get(path) if method == "get" else post(client, {"set": "x"})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Unauthorized"}


def test_documentation_stays_behind_the_login_page() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_session_post_needs_the_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.amina)
    response = post(client, {"set": "adults_labour", "age_group": "adult", "answers": {}})
    assert response.status_code == 403


# ---------------------------------------------------------------------------------- listing


def test_catalogue_versions_with_status(cast: Cast) -> None:
    response = cast.client_for(cast.amina).get(f"{BASE}/catalogues")
    assert response.status_code == 200
    versions = {item["version"]: item for item in response.json()}
    assert versions["2026.1"]["status"] == "draft"
    assert versions["2026.1"]["latest"] is True
    assert versions["2026.1"]["note"]["fr"] and versions["2026.1"]["note"]["en"]


def test_sets_with_dimensions_indicators_and_rules(cast: Cast) -> None:
    response = cast.client_for(cast.hugo).get(f"{BASE}/catalogues/2026.1/sets")
    assert response.status_code == 200
    body = response.json()
    sets = {item["code"]: item for item in body["sets"]}
    assert len(sets) == 7
    adults = sets["adults_labour"]
    assert adults["indicator_count"] == 67 and adults["status"] == "secondary"
    assert [len(d["indicators"]) for d in adults["dimensions"]] == [10, 10, 16, 9, 15, 7]
    first = adults["dimensions"][0]["indicators"][0]
    assert first["code"] == "AL-DR-01" and first["strength"] == "S"
    assert first["label"]["fr"] and first["label"]["en"]
    assert sets["children_labour"]["indicator_count"] == 65
    assert sets["adults_sexual"]["status"] == "draft"
    assert [p["code"] for p in body["rules"]["patterns"]] == [
        "two_strong",
        "strong_and_medium_or_weak",
        "three_medium",
        "two_medium_one_weak",
    ]
    child_rule = next(r for r in body["rules"]["presumed_victim"] if r["age_group"] == "child")
    assert child_rule["means_required"] is False
    assert child_rule["clauses"][0]["condition"] == "exploitation"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?form=forced_labour&age_group=child", ["children_labour"]),
        ("?form=sexual_exploitation", ["adults_sexual", "children_sexual"]),
        ("?age_group=adult&form=forced_begging", ["forced_begging"]),
        ("?form=organ_removal", []),
    ],
)
def test_sets_can_be_filtered(cast: Cast, query: str, expected: list[str]) -> None:
    response = cast.client_for(cast.amina).get(f"{BASE}/catalogues/2026.1/sets{query}")
    assert [item["code"] for item in response.json()["sets"]] == expected


def test_unknown_version_gives_422_naming_it(cast: Cast) -> None:
    response = cast.client_for(cast.amina).get(f"{BASE}/catalogues/1999.1/sets")
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["type"] == "unknown_version"
    assert error["codes"] == ["1999.1"]
    assert "1999.1" in error["msg"]


# ------------------------------------------------------------------------------- evaluation


def test_evaluate_returns_dimensions_result_and_explanation(cast: Cast) -> None:
    client = cast.client_for(cast.amina)
    body = {"set": "adults_labour", "age_group": "adult", "answers": presumed_adult_answers()}
    with CaptureQueriesContext(connection) as queries:
        response = post(client, body)
    assert response.status_code == 200, response.content
    result = response.json()
    assert result["version"] == "2026.1"  # the latest when omitted
    assert result["indicator_set"]["code"] == "adults_labour"
    assert result["presumed_victim"] == "yes"
    assert result["matched_clause"] == "deception_or_coercion"
    assert result["means_required"] is True
    dimensions = {d["code"]: d for d in result["dimensions"]}
    assert dimensions["coercion_destination"]["status"] == "met"
    assert dimensions["coercion_destination"]["pattern"] == "two_strong"
    assert {p["code"] for p in dimensions["coercion_destination"]["present"]} == {
        "AL-CD-01",
        "AL-CD-02",
    }
    assert dimensions["coercive_recruitment"]["status"] == "undetermined"
    assert "AL-CR-01" in dimensions["coercive_recruitment"]["absent"]
    assert "AL-VR-01" in dimensions["vulnerability_recruitment"]["unknown"]
    assert result["language"] == "fr"  # the profile's language
    assert any("victime présumée" in plain(line) for line in result["explanation"])
    # Nothing is stored.
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []


def test_evaluate_explains_in_the_request_language(cast: Cast) -> None:
    client = cast.client_for(cast.amina)
    client.cookies["django_language"] = "en"
    body = {"set": "children_labour", "age_group": "child", "answers": {"CL-EX-01": "present"}}
    result = post(client, body).json()
    assert result["language"] == "en"
    assert result["presumed_victim"] == "undetermined"
    assert result["means_required"] is False
    assert any("not required" in line for line in result["explanation"])
    chosen = post(client, body | {"language": "fr", "version": "2026.1"}).json()
    assert chosen["language"] == "fr"


@pytest.mark.parametrize(
    ("body", "kind", "loc", "named"),
    [
        (
            {"set": "organ_trade", "age_group": "adult", "answers": {}},
            "unknown_set",
            ["body", "payload", "set"],
            ["organ_trade"],
        ),
        (
            {"version": "1999.1", "set": "adults_labour", "age_group": "adult"},
            "unknown_version",
            ["body", "payload", "version"],
            ["1999.1"],
        ),
        (
            {
                "set": "adults_labour",
                "age_group": "adult",
                "answers": {"AL-DR-01": "present", "ZZ-ZZ-99": "present", "CL-DR-01": "absent"},
            },
            "unknown_indicators",
            ["body", "payload", "answers"],
            ["CL-DR-01", "ZZ-ZZ-99"],
        ),
        (
            {"set": "children_sexual", "age_group": "adult", "answers": {}},
            "age_group_mismatch",
            ["body", "payload", "age_group"],
            ["children_sexual"],
        ),
    ],
)
def test_evaluate_422_names_what_is_unknown(
    cast: Cast, body: dict[str, Any], kind: str, loc: list[str], named: list[str]
) -> None:
    response = post(cast.client_for(cast.amina), body)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["type"] == kind
    assert error["loc"] == loc
    assert error["codes"] == named
    for name in named:
        assert name in error["msg"]


def test_evaluate_rejects_an_answer_that_is_not_present_absent_or_unknown(cast: Cast) -> None:
    body = {"set": "adults_labour", "age_group": "adult", "answers": {"AL-DR-01": "maybe"}}
    response = post(cast.client_for(cast.amina), body)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["type"] == "literal_error"
    assert error["loc"] == ["body", "payload", "answers", "AL-DR-01"]


def test_evaluate_rejects_oversized_input(cast: Cast) -> None:
    answers = {f"AL-DR-{n:03d}": "absent" for n in range(600)}
    body = {"set": "adults_labour", "age_group": "adult", "answers": answers}
    response = post(cast.client_for(cast.amina), body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "too_long"
    long_code = {"set": "adults_labour", "age_group": "adult", "answers": {"A" * 200: "present"}}
    response = post(cast.client_for(cast.amina), long_code)
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_too_long"


# ---------------------------------------------------------------------------------- OpenAPI


def test_openapi_schema_and_docs_for_signed_in_staff(cast: Cast) -> None:
    client = cast.client_for(cast.amina)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "OpenNRM API"
    assert {
        "/api/v1/indicators/catalogues",
        "/api/v1/indicators/catalogues/{version}/sets",
        "/api/v1/indicators/evaluate",
    } <= set(schema["paths"])
    evaluate_op = schema["paths"]["/api/v1/indicators/evaluate"]["post"]
    assert {"200", "422"} <= set(evaluate_op["responses"])
    assert client.get("/api/v1/docs").status_code == 200
