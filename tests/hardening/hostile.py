"""Hostile input for property-based tests: what an attacker, a broken client or a careless
copy-and-paste may send. HTTP forms only ever receive strings (and lists of strings for repeated
keys), so "wrong types" are strings of the wrong shape: text for a number or a date, numbers
out of range, JSON, several values for a single field."""

from typing import Any

from django import forms
from hypothesis import strategies as st

PAYLOADS = [
    # SQL
    "' OR '1'='1",
    "1; DROP TABLE cases_person; --",
    "' UNION SELECT password FROM core_user --",
    "1' AND SLEEP(5)#",
    "%' OR 1=1 --",
    # Markup and templates
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% debug %}",
    "${7*7}",
    "<!--",
    "]]>",
    # Formats and paths
    "%s%s%s%n",
    "{0.__class__}",
    "../../../../etc/passwd",
    "C:\\Windows\\win.ini",
    "file:///etc/passwd",
    "\\\\attacker.invalid\\share",
    # Formulas
    '=HYPERLINK("http://attacker.invalid")',
    "+cmd|' /C calc'!A0",
    # Control and invisible characters, odd Unicode
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "\r\n\r\n",
    "\u202ereversed",
    "\ufeff",
    "\u200b\u200c\u200d",
    "\ufffd",
    "Z̸̢̛a̵l̶g̷o̴",
    "𝕳𝖚𝖌𝖔 😀 👩‍👩‍👧",
    "ǅ ß ﬁ İ ı",
    "ｆｕｌｌｗｉｄｔｈ",
    "مرحبا",
    "\U0010ffff",
    # Numbers and dates of the wrong shape
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "99999999999999999999999999999999",
    "-9223372036854775809",
    "0x1F",
    "1,5",
    "2025-02-30",
    "0000-00-00",
    "9999-12-31",
    "0001-01-01",
    "31/12/2025",
    "2025-13-01T25:61:61",
    # JSON and booleans as text
    "true",
    "null",
    "None",
    "[]",
    "{}",
    '{"__proto__": {"admin": true}}',
    "[1, 2, 3]",
]

_HUGE_UNITS = ["A", "é", "\x00", "😀", "<", "'", " ", "\n", "9"]


def huge_strings() -> st.SearchStrategy[str]:
    return st.builds(
        lambda unit, count: unit * count,
        st.sampled_from(_HUGE_UNITS),
        st.sampled_from([5_000, 100_000, 1_000_000]),
    )


def random_text() -> st.SearchStrategy[str]:
    # No lone surrogates: a request body is decoded from UTF-8, which cannot carry them.
    return st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


def hostile_strings(valid: list[str] | None = None) -> st.SearchStrategy[str]:
    """One hostile string; values valid for the field are mixed in so that cross-field checks
    (clean()) are reached too."""
    base = st.one_of(
        st.sampled_from(PAYLOADS),
        random_text(),
        huge_strings(),
        st.builds(lambda a, b: a + b, st.sampled_from(PAYLOADS), random_text()),
    )
    if valid:
        return st.one_of(st.sampled_from(valid), st.sampled_from(valid), base)
    return base


def valid_values(field: forms.Field) -> list[str]:
    """A few values a browser could legitimately send for the field."""
    values: list[str] = []
    choices = getattr(field, "choices", None)
    if choices is not None:
        try:
            for value, label in list(choices)[:30]:
                if isinstance(label, list | tuple):  # an optgroup
                    values.extend(str(v) for v, _ in label)
                else:
                    values.append(str(getattr(value, "value", value)))
        except Exception:  # noqa: S110 — choices that need more context: hostile values only
            pass
    if isinstance(field, forms.DateField):
        values += ["2024-01-15", "2025-06-30"]
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        values += ["0", "1", "3"]
    if isinstance(field, forms.BooleanField):
        values += ["on", "true", "false"]
    if isinstance(field, forms.EmailField):
        values += ["someone@test.opennrm.invalid"]
    if isinstance(field, forms.CharField) and not values:
        values += ["Fictional text", "A reason, in a few words."]
    return [value for value in values if value != ""] or ["x"]


@st.composite
def hostile_form_data(draw: st.DrawFn, fields: dict[str, forms.Field]) -> dict[str, list[str]]:
    """Form data as a browser would post it (key → list of values), with fields missing,
    repeated, hostile, and unknown keys added."""
    data: dict[str, list[str]] = {}
    for name, field in fields.items():
        presence = draw(st.sampled_from(["one", "one", "one", "missing", "several", "empty"]))
        strings = hostile_strings(valid_values(field))
        if presence == "one":
            data[name] = [draw(strings)]
        elif presence == "several":
            data[name] = draw(st.lists(strings, min_size=2, max_size=4))
        elif presence == "empty":
            data[name] = []
    extra = draw(
        st.dictionaries(
            st.sampled_from(["csrfmiddlewaretoken", "__proto__", "id", "pk", "owner", "is_staff"])
            | random_text(),
            st.lists(hostile_strings(), min_size=1, max_size=2),
            max_size=3,
        )
    )
    for key, values in extra.items():
        data.setdefault(key, values)
    return data


def as_query_dict(data: dict[str, list[str]]) -> Any:
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    query._mutable = False
    return query
