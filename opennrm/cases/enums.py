from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentificationStatus(models.TextChoices):
    PRELIMINARY_ASSESSMENT = "preliminary_assessment", _("Under preliminary assessment")
    PRESUMED_VICTIM = "presumed_victim", _("Presumed victim")
    NOT_PRESUMED = "not_presumed", _("Not presumed a victim")
    IDENTIFIED_VICTIM = "identified_victim", _("Identified victim")
    NOT_IDENTIFIED = "not_identified", _("Not identified")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not known")


class DetectionChannel(models.TextChoices):
    PUBLIC_REPORT = "public_report", _("Report by a member of the public")
    HOTLINE = "hotline", _("Hotline")
    OUTREACH = "outreach", _("Outreach")
    DROP_IN = "drop_in", _("Drop-in centre")
    DIRECT = "direct", _("Direct detection by a professional")
    OTHER = "other", _("Other")


class FileItem(models.TextChoices):
    """The parts of the case file that travel to formal identification beyond the preliminary
    assessment (which always does), each only where the person agreed to share it."""

    ACCOUNT = "account", _("The person's account and the interview record")
    FACTS = "facts", _("The facts in standard terms, the exploiters and the workplaces")
    EVIDENCE = "evidence", _("The documents attached to the case")
    RIGHTS = "rights", _("The rights information given")
    NEEDS = "needs", _("The immediate needs")
    TIMELINE = "timeline", _("The case's timeline")


def all_file_items() -> list[str]:
    return list(FileItem.values)


class ShareReason(models.TextChoices):
    COORDINATION = "coordination", _("Local coordination")
    REFERRAL = "referral", _("Referral to formal identification")
    CONSENTED_SHARE = "consented_share", _("Sharing consented by the person")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    ORIENTATION = "orientation", _("Orientation to a service")
    # The organisation that was responsible before a transfer, read only, as the person agreed.
    FORMER_OWNER = "former_owner", _("Former responsible organisation (case transferred)")


class ConsentScope(models.TextChoices):
    REFERRAL = "referral", _("Referral to formal identification")
    SHARE = "share", _("Sharing data with a named organisation")
    TRANSFER = "transfer", _("Transfer of the case to a named organisation")


class ConsentMethod(models.TextChoices):
    ORAL = "oral", _("Orally")
    WRITTEN = "written", _("In writing")
    INTERPRETED = "interpreted", _("Orally, through an interpreter")


class CaseClosingReason(models.TextChoices):
    """Why a case closes before support ever opened (support has its own reasons)."""

    NOT_PRESUMED = "not_presumed", _("The person is not presumed a victim")
    WITHDREW = "withdrew", _("The person withdrew")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    DUPLICATE = "duplicate", _("Duplicate of another case")
    OTHER = "other", _("Other reason (say which in the note)")


class EvidenceKind(models.TextChoices):
    """What a document attached to a case is (opennrm.cases.evidence)."""

    MEDICAL_CERTIFICATE = "medical_certificate", _("Medical certificate")
    COMPLAINT_RECEIPT = "complaint_receipt", _("Receipt of a complaint")
    IDENTITY_DOCUMENT = "identity_document", _("Copy of an identity document")
    PHOTO = "photo", _("Photograph")
    LETTER = "letter", _("Letter or message")
    CONTRACT = "contract", _("Contract, pay slip or work document")
    OTHER = "other", _("Other document")


class FileFormat(models.TextChoices):
    """The format of a stored document, as found in its content (opennrm.web.uploads)."""

    PDF = "pdf", "PDF"
    PNG = "png", "PNG"
    JPEG = "jpeg", "JPEG"


class TransferKind(models.TextChoices):
    """Who asked for a transfer: the responsible organisation, or the one that would take it."""

    PROPOSAL = "proposal", _("Proposed by the responsible organisation")
    REQUEST = "request", _("Asked for by the receiving organisation")


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a decision")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TransferReason(models.TextChoices):
    DISTANCING = "distancing", _("Distancing for the person's safety (national network)")
    PERSON_MOVES = "person_moves", _("The person moves")
    BETTER_PLACED = "better_placed", _("An organisation better placed to support the person")
    OTHER = "other", _("Other reason (say which)")


class FormerOwnerAccess(models.TextChoices):
    """What the organisation that gives up a case keeps of it, as the person agreed."""

    END = "end", _("Ends with the transfer")
    READ_ONLY = "read_only", _("Kept, read only (pseudonymised), as the person agreed")
