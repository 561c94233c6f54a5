"""Our codes in the terms of the IOM's Human Trafficking Case Data Standard (HTCDS 2.0,
`UNMigration/HTCDS`, CC BY 4.0: "HTCDS by IOM"), in one place, for statistics and for a later
HTCDS export.

OpenNRM keeps its own codes (lower case, stable, translated labels); this module says which
HTCDS field and which value name each of them is. A code with no HTCDS value maps to the
standard's ``Other`` where the list has one, and to None where the standard has no such field
(the export leaves it out). Where the standard's picklist and its definitions differ (methods of
control), the picklist wins: it is what the standard's templates and forms accept.

Each table is checked against its enumeration by the tests (every code mapped, every value one
of the standard's).
"""

from typing import Final

from opennrm.cases.enums import Sex
from opennrm.detection.enums import (
    ControlMeans,
    ExploiterRole,
    RecruitmentMethod,
    RelationToExploiter,
    Sector,
)

# Field names (HTCDS "Field Name" column).
METHOD_OF_RECRUITMENT: Final = "vic_MethodOfRecruitment"
METHODS_OF_CONTROL: Final = "vic_MethodsOfControl"
TYPE_OF_EXPLOITATION: Final = "vic_TypeOfExploitation"
FORCED_LABOUR_INDUSTRY: Final = "vic_ForcedLabourIndustry"
RELATIONSHIP_TO_TRAFFICKER: Final = "vic_RelationshipToTrafficker"
ROLE_IN_PROCESS: Final = "per_RoleInProcess"
GENDER: Final = "prs_Gender"
CITIZENSHIP: Final = "prs_Citizenship"
# Places: historic trafficking events (hte_Type Recruitment, Transit or Exploitation) with
# hte_Country (ISO 3166 alpha-2) and hte_State (our département's code).
EVENT_TYPE: Final = "hte_Type"
EVENT_COUNTRY: Final = "hte_Country"
EVENT_STATE: Final = "hte_State"
EVENT_TYPES: Final = {
    "recruitment": "Recruitment",
    "transit": "Transit",
    "exploitation": "Exploitation",
}
# A workplace or employer is an HTCDS organisation (org_Type CorporateBusiness).
ORGANISATION_NAME: Final = "org_Name"
ORGANISATION_TYPE_BUSINESS: Final = "CorporateBusiness"
# No HTCDS field: kept as extensions by an export (the standard expects custom fields).
MINOR_DURING_EXPLOITATION: Final = None  # the standard has vic_AgeWhenTrafficked, a number
SELF_IDENTIFICATION: Final = None

RECRUITMENT_METHODS: Final[dict[str, str]] = {
    RecruitmentMethod.PLACE_OF_BUSINESS: "AtAPlaceOfBusiness",
    RecruitmentMethod.EDUCATIONAL_INSTITUTION: "AtAnEducationalInstitution",
    RecruitmentMethod.AT_WORK: "AtWork",
    RecruitmentMethod.ONLINE_SOCIAL_NETWORK: "ThroughOnlineSocialNetworks",
    RecruitmentMethod.ONLINE_ADVERTISEMENT: "ThroughAnOnlineAdvertisement",
    RecruitmentMethod.TELEVISION_ADVERT: "ThroughATelevisionAdvert",
    RecruitmentMethod.NEWSPAPER_ADVERT: "ThroughANewspaperAdvert",
    RecruitmentMethod.FAMILY: "ThroughFamilyOrFamilyEvents",
    RecruitmentMethod.FRIENDS: "ThroughFriendsOrSocialEvents",
    RecruitmentMethod.OTHER: "Other",
}

CONTROL_METHODS: Final[dict[str, str]] = {
    ControlMeans.DOCUMENTS: "WithholdsDocuments",
    ControlMeans.THREATS: "PhysicalThreats",
    ControlMeans.THREATENS_FAMILY: "ThreatensChildrenFamily",
    ControlMeans.THREATS_LAW_ENFORCEMENT: "ThreatsLawEnforcement",
    ControlMeans.VIOLENCE: "PhysicalAbuse",
    ControlMeans.SEXUAL_ABUSE: "SexualAbuse",
    ControlMeans.PSYCHOLOGICAL_ABUSE: "PsychologicalAbuse",
    ControlMeans.DEBT: "DebtBondage",
    ControlMeans.TAKES_EARNINGS: "TakesEarnings",
    ControlMeans.RESTRICTS_FINANCIAL_ACCESS: "RestrictsFinancialAccess",
    ControlMeans.FALSE_PROMISES: "FalsePromises",
    # The definitions' "RestrictsMovement" (isolation, confinement, escorting, monitoring) is
    # not in the picklist.
    ControlMeans.ISOLATION: "Other",
    ControlMeans.SURVEILLANCE: "Other",
    ControlMeans.EXCESSIVE_HOURS: "ExcessiveWorkingHours",
    ControlMeans.WITHHOLDS_NECESSITIES: "WithholdsNecessities",
    ControlMeans.RESTRICTS_MEDICAL_CARE: "RestrictsMedicalCare",
    ControlMeans.PSYCHOACTIVE_SUBSTANCE: "PsychoactiveSubstance",
    ControlMeans.OTHER: "Other",
}

# The profile's forms of exploitation (profile data: fr and osce share these codes). A code the
# table does not know (another profile's) is "Other".
TYPES_OF_EXPLOITATION: Final[dict[str, str]] = {
    "sexual_exploitation": "SexualExploitation",
    "forced_labour": "ForcedLabour",
    "slavery": "Servitude",  # the standard has no slavery: the nearest, slavery-like practices
    "servitude": "Servitude",
    "domestic_servitude": "Servitude",
    "forced_begging": "ForcedBegging",
    "forced_criminality": "Other",
    "undignified_conditions": "Other",
    "organ_removal": "OrganRemoval",
    "forced_marriage": "ForcedMarriage",
    "illegal_adoption": "ForcedAdoption",
    "surrogacy_exploitation": "Surrogacy",
}

# Sectors as ISIC Rev.4 sections (the standard's value names). Prostitution, begging and
# offences are no industry: HTCDS records them as types of exploitation.
ISIC_SECTIONS: Final[dict[str, str | None]] = {
    Sector.AGRICULTURE: "A_AgricultureForestryAndFishing",
    Sector.CONSTRUCTION: "F_Construction",
    Sector.HOSPITALITY: "I_AccommodationAndFoodServiceActivities",
    Sector.DOMESTIC_WORK: "T_ActivitiesOfHouseholdsAsEmployers",
    Sector.MANUFACTURING: "C_Manufacturing",
    Sector.RETAIL: "G_WholesaleAndRetailTradeRepairOfMotorVehicles",
    Sector.BEAUTY: "S_OtherServiceActivities",  # ISIC 9602, hairdressing and beauty
    Sector.CLEANING: "N_AdministrativeAndSupportServiceActivities",  # ISIC 812, cleaning
    Sector.TRANSPORT: "H_TransportationAndStorage",
    Sector.SEX_INDUSTRY: None,
    Sector.BEGGING: None,
    Sector.CRIMINAL: None,
    Sector.OTHER: None,
    Sector.UNKNOWN: None,
}

RELATIONSHIPS: Final[dict[str, str | None]] = {
    RelationToExploiter.FAMILY: "Familial",
    RelationToExploiter.PARTNER: "Acquainted",
    RelationToExploiter.ACQUAINTANCE: "Acquainted",
    RelationToExploiter.STRANGER: "Unaquainted",  # sic: the standard's spelling
    RelationToExploiter.UNKNOWN: None,
}

ROLES: Final[dict[str, str]] = {
    ExploiterRole.RECRUITER: "RecruiterOrIntermediary",
    ExploiterRole.BROKER: "BrokerTravelAgent",
    ExploiterRole.TRANSPORTER: "Transporter",
    ExploiterRole.SMUGGLER: "Smuggler",
    ExploiterRole.HARBOURER: "HarbouredIndividual",
    ExploiterRole.EMPLOYER: "Exploiter",
    ExploiterRole.CONTROLLER: "ControlledIndividual",
    ExploiterRole.SELLER: "SoldIndividual",
    ExploiterRole.BUYER: "BoughtIndividual",
    ExploiterRole.ABUSER: "Abuser",
    ExploiterRole.OTHER: "Other",
}

GENDERS: Final[dict[str, str]] = {
    Sex.FEMALE: "Feminine",
    Sex.MALE: "Masculine",
    Sex.OTHER: "NonConforming",
    Sex.UNKNOWN: "NonSpecifiedUnknown",
}

# The standard's value names, to check the tables against (HTCDS Field Standards 2.0).
STANDARD_VALUES: Final[dict[str, frozenset[str]]] = {
    METHOD_OF_RECRUITMENT: frozenset(
        {
            "AtAPlaceOfBusiness", "AtAnEducationalInstitution", "AtWork",
            "ThroughOnlineSocialNetworks", "ThroughAnOnlineAdvertisement",
            "ThroughATelevisionAdvert", "ThroughANewspaperAdvert",
            "ThroughFamilyOrFamilyEvents", "ThroughFriendsOrSocialEvents", "Other",
        }
    ),
    METHODS_OF_CONTROL: frozenset(
        {
            "PhysicalThreats", "ThreatsLawEnforcement", "ThreatensChildrenFamily",
            "DebtBondage", "FalsePromises", "PhysicalAbuse", "SexualAbuse", "TakesEarnings",
            "RestrictsFinancialAccess", "RestrictsMedicalCare", "WithholdsNecessities",
            "PsychologicalAbuse", "PsychoactiveSubstance", "ExcessiveWorkingHours",
            "WithholdsDocuments", "Other",
        }
    ),
    TYPE_OF_EXPLOITATION: frozenset(
        {
            "ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude",
            "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging",
            "ForcedAdoption", "Surrogacy", "Other",
        }
    ),
    FORCED_LABOUR_INDUSTRY: frozenset(
        {
            "A_AgricultureForestryAndFishing", "B_MiningAndQuarrying", "C_Manufacturing",
            "D_ElectricityGasSteamAndAirConditioningSupply",
            "E_WaterSupplySewerageWasteManagement", "F_Construction",
            "G_WholesaleAndRetailTradeRepairOfMotorVehicles", "H_TransportationAndStorage",
            "I_AccommodationAndFoodServiceActivities", "J_InformationAndCommunication",
            "K_FinancialAndInsuranceActivities", "L_RealEstateActivities",
            "M_ProfessionalScientificAndTechnicalActivities",
            "N_AdministrativeAndSupportServiceActivities", "O_PublicAdministrationAndDefence",
            "P_Education", "Q_HumanHealthAndSocialWorkActivities",
            "R_ArtsEntertainmentAndRecreation", "S_OtherServiceActivities",
            "T_ActivitiesOfHouseholdsAsEmployers", "U_ActivitiesOfExtraterritorialOrganizations",
        }
    ),
    RELATIONSHIP_TO_TRAFFICKER: frozenset({"Familial", "Acquainted", "Unaquainted"}),
    ROLE_IN_PROCESS: frozenset(
        {
            "TravellingPartner", "Transporter", "RecruiterOrIntermediary", "BrokerTravelAgent",
            "TransferredIndividual", "HarbouredIndividual", "SoldIndividual",
            "BoughtIndividual", "ReceivedIndividual", "ControlledIndividual", "Smuggler",
            "Abuser", "Kidnapper", "Exploiter", "Other",
        }
    ),
    GENDER: frozenset(
        {
            "Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine",
            "NonConforming", "NonSpecifiedUnknown",
        }
    ),
}  # fmt: skip


def _values(table: dict[str, str], codes: list[str]) -> list[str]:
    """The standard's values of these codes, each once, in the standard's terms."""
    seen: list[str] = []
    for code in codes:
        value = table.get(code, "Other")
        if value not in seen:
            seen.append(value)
    return seen


def recruitment_methods(codes: list[str]) -> list[str]:
    return _values(RECRUITMENT_METHODS, codes)


def control_methods(codes: list[str]) -> list[str]:
    return _values(CONTROL_METHODS, codes)


def types_of_exploitation(codes: list[str]) -> list[str]:
    return _values(TYPES_OF_EXPLOITATION, codes)


def industries(codes: list[str]) -> list[str]:
    """ISIC sections of the sectors; sectors without one are left out."""
    seen: list[str] = []
    for code in codes:
        value = ISIC_SECTIONS.get(code)
        if value is not None and value not in seen:
            seen.append(value)
    return seen


def relationship(code: str) -> str | None:
    return RELATIONSHIPS.get(code)


def roles(codes: list[str]) -> list[str]:
    return _values(ROLES, codes)


def gender(code: str) -> str:
    return GENDERS.get(code, "NonSpecifiedUnknown")
