"""What a role allows. Roles are profile data; capabilities are the fixed vocabulary code checks."""

from enum import StrEnum


class Capability(StrEnum):
    REPORT = "report"  # detect, assess, report a presumed victim (authorised reporters)
    TRIAGE = "triage"  # receive and triage concerns of a territory (local coordinator)
    CHAIR_PLATFORM = "chair_platform"
    SIT_ON_PLATFORM = "sit_on_platform"
    JUDICIAL_IDENTIFICATION = "judicial_identification"
    LIAISON = "liaison"  # contact person of a prefecture, prosecutor's office, labour directorate
    PROVIDE_SERVICES = "provide_services"
    NATIONAL_OVERSIGHT = "national_oversight"
    MANAGE_DIRECTORY = "manage_directory"
    RECOGNISE = "recognise"  # recognise authorised reporters, renew or withdraw (competent body)
    READ_AUDIT = "read_audit"
    ADMINISTER_ORGANISATION = "administer_organisation"
