from django.db import models
from django.utils.translation import gettext_lazy as _


class ConcernStatus(models.TextChoices):
    NEW = "new", _("To triage")
    CASE_OPENED = "case_opened", _("Case opened")
    ATTACHED = "attached", _("Attached to an existing case")
    CLOSED = "closed", _("Closed")


class ClosingReason(models.TextChoices):
    NOT_TRAFFICKING = "not_trafficking", _("No sign of trafficking")
    INSUFFICIENT = "insufficient", _("Too little information to act")
    DUPLICATE = "duplicate", _("Duplicate of another concern")
    OTHER_SERVICE = "other_service", _("Passed to another service (e.g. labour law)")
    ABUSIVE = "abusive", _("Abusive or test report")


class PlaceType(models.TextChoices):
    PRIVATE_HOME = "private_home", _("Private home")
    FARM = "farm", _("Farm or agricultural site")
    CONSTRUCTION = "construction", _("Construction site")
    HOSPITALITY = "hospitality", _("Restaurant, hotel, bar")
    SHOP = "shop", _("Shop or market")
    FACTORY = "factory", _("Factory or workshop")
    BEAUTY = "beauty", _("Beauty or massage salon")
    STREET = "street", _("Street or public space")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    CONSTRUCTION = "construction", _("Construction")
    HOSPITALITY = "hospitality", _("Hotels and restaurants")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    MANUFACTURING = "manufacturing", _("Manufacturing")
    RETAIL = "retail", _("Retail")
    BEAUTY = "beauty", _("Beauty and wellness")
    CLEANING = "cleaning", _("Cleaning")
    TRANSPORT = "transport", _("Transport and delivery")
    SEX_INDUSTRY = "sex_industry", _("Prostitution")
    BEGGING = "begging", _("Begging")
    CRIMINAL = "criminal", _("Theft, drug dealing or other offences")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class PublicSign(models.TextChoices):
    """Plain-language signs a member of the public can tick. They are not the indicators."""

    CANNOT_LEAVE = "cannot_leave", _("The person seems unable to leave or move freely")
    NO_PAPERS = "no_papers", _("Someone else keeps the person's identity papers")
    LONG_HOURS = "long_hours", _("The person works very long hours, every day")
    UNPAID = "unpaid", _("The person is not paid, or very little")
    HOUSED_AT_WORK = "housed_at_work", _("The person lives where they work, in poor conditions")
    AFRAID = "afraid", _("The person seems afraid or controlled by someone")
    INJURIES = "injuries", _("The person has injuries or signs of violence")
    DEBT = "debt", _("The person owes a debt to an employer or a recruiter")
    THREATENED = "threatened", _("The person is threatened (with violence, or with the police)")
    FORCED_BEGGING = "forced_begging", _("The person is made to beg or to steal")
    SEXUAL_CONTROL = "sexual_control", _("The person sells sexual services for someone else")


class ChildInvolved(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("I don't know")


class AssessmentConclusion(models.TextChoices):
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
    NOT_PRESUMED = "not_presumed", _("Not presumed a victim")


class AgeGroup(models.TextChoices):
    ADULT = "adult", _("Adult")
    CHILD = "child", _("Child")
    UNKNOWN = "unknown", _("Not known")


# The person's account (opennrm.detection.accounts) ---------------------------------------


class StillThere(models.TextChoices):
    YES = "yes", _("Yes, the person is still in the situation")
    NO = "no", _("No, the person has left")
    UNKNOWN = "unknown", _("Not known")


class LastContact(models.TextChoices):
    WEEK = "week", _("Within the last week")
    MONTH = "month", _("Within the last month")
    THREE_MONTHS = "three_months", _("Within the last 3 months")
    SIX_MONTHS = "six_months", _("Within the last 6 months")
    YEAR = "year", _("Between 6 and 12 months ago")
    OVER_A_YEAR = "over_a_year", _("Over a year ago")
    UNKNOWN = "unknown", _("Not known")


class ReportedBefore(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class ControlMeans(models.TextChoices):
    """How the person was controlled, as the professional records it (several may apply).

    The methods of control of the IOM's Human Trafficking Case Data Standard, in our words
    (opennrm.detection.htcds maps each code to the standard's value), plus isolation and
    surveillance, which the standard's definitions name but its list does not.
    """

    DOCUMENTS = "documents", _("Identity documents taken")
    THREATS = "threats", _("Threats of violence")
    THREATENS_FAMILY = "threatens_family", _("Threats to the person's children or family")
    THREATS_LAW_ENFORCEMENT = "threats_law_enforcement", _("Threats of the police or deportation")
    VIOLENCE = "violence", _("Violence")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse, humiliation")
    DEBT = "debt", _("Debt")
    TAKES_EARNINGS = "takes_earnings", _("Earnings taken")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("No access to money or accounts")
    FALSE_PROMISES = "false_promises", _("False promises")
    ISOLATION = "isolation", _("Isolation")
    SURVEILLANCE = "surveillance", _("Surveillance, restricted movement")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive working hours")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Food, rest or hygiene withheld")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Medical care withheld")
    PSYCHOACTIVE_SUBSTANCE = "psychoactive_substance", _("Alcohol or drugs imposed")
    OTHER = "other", _("Other means of control")


# Facts in standard terms (opennrm.detection.facts; HTCDS mapping in opennrm.detection.htcds) --


class RecruitmentMethod(models.TextChoices):
    """How the person was recruited (HTCDS: Method of Recruitment)."""

    PLACE_OF_BUSINESS = "place_of_business", _("At a place of business (shop, agency, café…)")
    EDUCATIONAL_INSTITUTION = "educational_institution", _("At a school or university")
    AT_WORK = "at_work", _("At work")
    ONLINE_SOCIAL_NETWORK = "online_social_network", _("Through social networks or messaging")
    ONLINE_ADVERTISEMENT = "online_advertisement", _("Through an advertisement online")
    TELEVISION_ADVERT = "television_advert", _("Through an advertisement on television")
    NEWSPAPER_ADVERT = "newspaper_advert", _("Through an advertisement in a newspaper")
    FAMILY = "family", _("Through family or at a family event")
    FRIENDS = "friends", _("Through friends or at a social event")
    OTHER = "other", _("Another way")


class RelationToExploiter(models.TextChoices):
    """The person's relation to the main exploiter (HTCDS: Relationship to Trafficker)."""

    FAMILY = "family", _("A member of the family")
    PARTNER = "partner", _("A partner or intimate friend")
    ACQUAINTANCE = "acquaintance", _("Someone the person knew")
    STRANGER = "stranger", _("Someone the person did not know")
    UNKNOWN = "unknown", _("Not known")


class FactAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known")


class SelfIdentification(models.TextChoices):
    """Whether the person sees themselves as a victim (many do not, at first)."""

    YES = "yes", _("Yes, the person sees themselves as a victim")
    PARTLY = "partly", _("Partly, or the person is unsure")
    NO = "no", _("No, the person does not see themselves as a victim")
    NOT_ASKED = "not_asked", _("Not asked, or not known")


class ExploiterRole(models.TextChoices):
    """What an exploiter did (HTCDS: a perpetrator's Role in Process; several may apply)."""

    RECRUITER = "recruiter", _("Recruiter or intermediary")
    BROKER = "broker", _("Broker or travel agent")
    TRANSPORTER = "transporter", _("Transporter")
    SMUGGLER = "smuggler", _("Smuggler")
    HARBOURER = "harbourer", _("Housed the person")
    EMPLOYER = "employer", _("Employer, exploiter")
    CONTROLLER = "controller", _("Controlled or watched the person")
    SELLER = "seller", _("Sold the person")
    BUYER = "buyer", _("Bought the person")
    ABUSER = "abuser", _("Abuser")
    OTHER = "other", _("Other role")
