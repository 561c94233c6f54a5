"""The distributions of the national synthetic dataset: rough, documented approximations.

None of these figures is a statistic of real victims. They are orders of magnitude chosen so
that a dataset of any size looks like a national referral mechanism at scale (which
départements, which forms of exploitation, who the persons are, how they were detected), in
order to measure pages and queries as they would be used. Change them freely.
"""

# Population of the France profile's local units, in thousands of inhabitants: rounded, from
# INSEE's legal populations of the early 2020s (approximate; good to within a few percent).
POPULATION_THOUSANDS: dict[str, int] = {
    "01": 660, "02": 530, "03": 335, "04": 165, "05": 141, "06": 1100, "07": 330, "08": 270,
    "09": 155, "10": 310, "11": 375, "12": 280, "13": 2050, "14": 700, "15": 144, "16": 350,
    "17": 660, "18": 300, "19": 240, "2A": 160, "2B": 185, "21": 535, "22": 605, "23": 116,
    "24": 410, "25": 545, "26": 520, "27": 600, "28": 430, "29": 920, "30": 750, "31": 1430,
    "32": 192, "33": 1650, "34": 1200, "35": 1100, "36": 218, "37": 610, "38": 1280, "39": 258,
    "40": 420, "41": 330, "42": 765, "43": 228, "44": 1450, "45": 680, "46": 175, "47": 330,
    "48": 77, "49": 820, "50": 495, "51": 565, "52": 170, "53": 307, "54": 730, "55": 182,
    "56": 760, "57": 1045, "58": 200, "59": 2610, "60": 830, "61": 278, "62": 1460, "63": 665,
    "64": 690, "65": 230, "66": 480, "67": 1150, "68": 765, "69": 1880, "70": 235, "71": 550,
    "72": 565, "73": 440, "74": 830, "75": 2140, "76": 1255, "77": 1420, "78": 1450, "79": 375,
    "80": 570, "81": 390, "82": 262, "83": 1080, "84": 560, "85": 690, "86": 440, "87": 370,
    "88": 360, "89": 335, "90": 142, "91": 1300, "92": 1630, "93": 1650, "94": 1410, "95": 1250,
    "971": 385, "972": 360, "973": 285, "974": 870, "976": 300, "975": 6, "977": 10, "978": 32,
    "986": 11, "987": 280, "988": 270,
}  # fmt: skip

# Detected exploitation is not spread like the population: large cities, the Paris region, the
# Mediterranean coast, Guyane and Mayotte see more of it. Multipliers of the population (an
# illustrative guess, not a measure); 1.0 elsewhere.
PREVALENCE: dict[str, float] = {
    "75": 2.0, "93": 1.8, "92": 1.3, "94": 1.3, "95": 1.3, "91": 1.2, "77": 1.2, "78": 1.1,
    "13": 1.5, "06": 1.5, "83": 1.2, "34": 1.2, "69": 1.3, "59": 1.3, "33": 1.2, "31": 1.2,
    "67": 1.1, "44": 1.1, "973": 1.8, "976": 1.8, "971": 1.2, "972": 1.2,
}  # fmt: skip


def territory_weight(code: str) -> float:
    """How many cases a local unit sees, relative to the others (unknown codes: a middle one)."""
    return POPULATION_THOUSANDS.get(code, 500) * PREVALENCE.get(code, 1.0)


# Forms of exploitation (profile codes), the first one recorded; a second one is added to some
# cases. Sexual exploitation dominates detected cases, then labour exploitation.
FORMS: dict[str, float] = {
    "sexual_exploitation": 52,
    "forced_labour": 16,
    "undignified_conditions": 6,
    "domestic_servitude": 7,
    "forced_criminality": 7,
    "forced_begging": 4,
    "forced_marriage": 3,
    "servitude": 2,
    "slavery": 1.5,
    "organ_removal": 0.2,
    "illegal_adoption": 0.2,
    "surrogacy_exploitation": 0.1,
}
SECOND_FORM = 0.1  # share of cases with a second form
# Share of children, and of women and girls, by form.
CHILD_SHARE: dict[str, float] = {
    "sexual_exploitation": 0.18,
    "forced_labour": 0.06,
    "undignified_conditions": 0.04,
    "domestic_servitude": 0.15,
    "forced_criminality": 0.55,
    "forced_begging": 0.45,
    "forced_marriage": 0.4,
    "servitude": 0.08,
    "slavery": 0.08,
    "organ_removal": 0.05,
    "illegal_adoption": 1.0,
    "surrogacy_exploitation": 0.0,
}
FEMALE_SHARE: dict[str, float] = {
    "sexual_exploitation": 0.92,
    "forced_labour": 0.3,
    "undignified_conditions": 0.3,
    "domestic_servitude": 0.8,
    "forced_criminality": 0.25,
    "forced_begging": 0.5,
    "forced_marriage": 0.97,
    "servitude": 0.6,
    "slavery": 0.5,
    "organ_removal": 0.4,
    "illegal_adoption": 0.5,
    "surrogacy_exploitation": 1.0,
}
SEX_OTHER = 0.007
SEX_UNKNOWN = 0.01
# Sector (detection.enums.Sector codes) and type of place by form.
SECTORS: dict[str, dict[str, float]] = {
    "sexual_exploitation": {"sex_industry": 0.9, "beauty": 0.06, "hospitality": 0.04},
    "forced_labour": {
        "construction": 0.3,
        "agriculture": 0.22,
        "hospitality": 0.18,
        "manufacturing": 0.1,
        "cleaning": 0.08,
        "transport": 0.07,
        "retail": 0.05,
    },
    "undignified_conditions": {"agriculture": 0.4, "construction": 0.3, "hospitality": 0.3},
    "domestic_servitude": {"domestic_work": 1.0},
    "forced_criminality": {"criminal": 1.0},
    "forced_begging": {"begging": 1.0},
}
DEFAULT_SECTOR = {"other": 0.7, "unknown": 0.3}

# Nationalities (ISO 3166-1 alpha-2) of persons detected in metropolitan France, and where the
# overseas local units differ. A small share has two nationalities, or none known.
NATIONALITIES: dict[str, float] = {
    "NG": 22, "FR": 11, "RO": 7, "CN": 5, "MA": 4, "CI": 4, "CM": 3, "BG": 3, "GN": 3, "BR": 2,
    "AL": 2, "CD": 2, "SN": 2, "DZ": 2, "TN": 2, "VN": 2, "UA": 2, "PH": 2, "ML": 1.5,
    "AF": 1.5, "MD": 1, "PK": 1, "IN": 1, "BD": 1, "GH": 1, "SL": 1, "ER": 1, "CO": 1, "VE": 1,
    "PE": 0.5, "DO": 0.5, "BA": 0.5, "RS": 0.5, "GE": 0.5, "RU": 0.5, "HT": 0.5, "KM": 0.3,
    "MG": 0.3, "SR": 0.2, "GY": 0.2,
}  # fmt: skip
OVERSEAS_NATIONALITIES: dict[str, dict[str, float]] = {
    "971": {"HT": 35, "DO": 25, "FR": 25, "DM": 8, "VE": 7},
    "972": {"HT": 30, "FR": 30, "DO": 20, "LC": 10, "VE": 10},
    "973": {"BR": 35, "SR": 25, "HT": 20, "GY": 10, "FR": 10},
    "974": {"MG": 40, "KM": 25, "FR": 25, "MU": 10},
    "976": {"KM": 70, "MG": 15, "FR": 10, "CD": 5},
    "975": {"FR": 100},
    "977": {"FR": 50, "HT": 30, "DO": 20},
    "978": {"HT": 40, "DO": 30, "FR": 30},
    "986": {"FR": 100},
    "987": {"FR": 80, "PH": 10, "CN": 10},
    "988": {"FR": 70, "VU": 15, "ID": 15},
}
TWO_NATIONALITIES = 0.02
NO_NATIONALITY = 0.02
# Languages (ISO 639) most likely spoken, by nationality; French is added for some.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "NG": ("en", "yo", "ig"), "FR": ("fr",), "RO": ("ro",), "CN": ("zh",), "MA": ("ar", "fr"),
    "CI": ("fr",), "CM": ("fr", "en"), "BG": ("bg",), "GN": ("fr",), "BR": ("pt",),
    "AL": ("sq",), "CD": ("fr", "ln"), "SN": ("fr", "wo"), "DZ": ("ar", "fr"),
    "TN": ("ar", "fr"), "VN": ("vi",), "UA": ("uk", "ru"), "PH": ("tl", "en"), "ML": ("fr", "bm"),
    "AF": ("fa", "ps"), "MD": ("ro", "ru"), "PK": ("ur",), "IN": ("hi",), "BD": ("bn",),
    "GH": ("en",), "SL": ("en",), "ER": ("ti",), "CO": ("es",), "VE": ("es",), "PE": ("es",),
    "DO": ("es",), "BA": ("bs",), "RS": ("sr",), "GE": ("ka",), "RU": ("ru",), "HT": ("ht", "fr"),
    "KM": ("fr", "ar"), "MG": ("mg", "fr"), "SR": ("nl",), "GY": ("en",), "DM": ("en",),
    "LC": ("en",), "MU": ("fr", "en"), "VU": ("bi", "fr"), "ID": ("id",),
}  # fmt: skip
# Which syllable style names the persons of a nationality (`names.STYLES`).
NAME_STYLE: dict[str, str] = {
    **dict.fromkeys(("RO", "MD", "BG", "UA", "RU", "RS", "BA", "GE", "AL"), "eastern"),
    **dict.fromkeys(("CN", "VN", "PH", "ID"), "eastern_asian"),
    **dict.fromkeys(("MA", "DZ", "TN", "AF", "PK", "BD", "ER", "KM"), "north"),
    **dict.fromkeys(
        ("NG", "CI", "CM", "GN", "CD", "SN", "ML", "GH", "SL", "HT", "MG", "MU", "VU"), "western"
    ),
}
DEFAULT_NAME_STYLE = "latin"

# How a case reached the mechanism (cases.enums.DetectionChannel codes). Reports by the public
# and hotline calls arrive as concerns that the local coordination triages.
CHANNELS: dict[str, float] = {
    "public_report": 8,
    "hotline": 10,
    "outreach": 25,
    "drop_in": 20,
    "direct": 32,
    "other": 5,
}
CONCERN_CHANNELS = frozenset({"public_report", "hotline"})
# Which kind of organisation is responsible for a case (owner), by broad form; children's cases
# go more often to child protection services.
OWNER_KINDS_SEXUAL: dict[str, float] = {
    "association": 70, "police": 14, "gendarmerie": 4, "health": 6, "accommodation": 4,
    "trade_union": 0.5, "labour_inspection": 0.5,
}  # fmt: skip
OWNER_KINDS_LABOUR: dict[str, float] = {
    "association": 40, "labour_inspection": 18, "trade_union": 12, "police": 12,
    "gendarmerie": 8, "health": 5, "accommodation": 5,
}  # fmt: skip
OWNER_KINDS_OTHER: dict[str, float] = {
    "association": 50, "police": 22, "gendarmerie": 8, "health": 8, "accommodation": 6,
    "trade_union": 3, "labour_inspection": 3,
}  # fmt: skip
CHILD_PROTECTION_OWNS_CHILD = 0.35  # a child's case is owned by child protection this often
LABOUR_FORMS = frozenset({"forced_labour", "undignified_conditions", "servitude", "slavery"})
JUDICIAL_KINDS = ("police", "gendarmerie", "labour_inspection")

# The persona organisations' shares of all cases (keys of seed_demo's organisations). They are
# given by position (every case whose position falls in the share), so that a small dataset
# gets them too; the rest of the cases are spread by the weights above.
PERSONA_SHARES: dict[str, float] = {
    "93:association": 0.010,  # Amina
    "93:police": 0.003,  # Claire
    "93:trade_union": 0.0015,  # Hugo
    "93:labour_inspection": 0.0015,  # Marc
    "13:association": 0.006,  # Yasmine
    "974:association": 0.001,  # Jean
}

# The mechanism, step by step (probabilities; durations in days).
YEARS_OF_HISTORY = 5
GROWTH = 1.0  # the newest day sees (1 + GROWTH) times as many cases as the oldest
STUCK_ASSESSMENT = 0.015  # assessments never concluded (they show as overdue)
LOST_BEFORE_ASSESSMENT = 0.5  # of those, closed when contact was lost
PRESUMED = 0.72  # conclusion "presumed victim" (else "not presumed")
CLOSED_WHEN_NOT_PRESUMED = 0.7
REFERRAL_CONSENT = 0.8  # adults who consent to be referred
ANONYMOUS_WHEN_REFUSED = 0.5  # adults who refuse: an anonymous notification
IMMEDIATE_NEEDS = 0.5
JUDICIAL_ROUTE = 0.4  # when the owner is not itself a judicial service
JUDICIAL_ROUTE_FOR_JUDICIAL_OWNER = 0.9
STUCK_REFERRAL = 0.02  # never decided (overdue)
IDENTIFIED_JUDICIAL = 0.8
IDENTIFIED_PLATFORM = 0.7
RECONSIDERATION = 0.25  # negative platform decisions whose reconsideration is asked
IDENTIFIED_ON_RECONSIDERATION = 0.4
ORIENTATION_PER_NEED = 0.3
ORIENTATION_ACCEPTED = 0.8
ORIENTATION_DECLINED = 0.15
STUCK_ORIENTATION = 0.03  # sent, never answered (overdue)
SUPPORT_CLOSED = 0.85  # support closes after 4 to 30 months
RESIDENCE_APPLICATION = 0.4  # identified adults who are not French
NON_PUNISHMENT = 0.4  # presumed victims of forced criminality
COMPENSATION = 0.15  # identified victims
DUPLICATE = 0.03  # persons detected again, by another organisation
CONCERNS_CLOSED_PER_CASE = 0.12  # concerns closed at triage without a case
