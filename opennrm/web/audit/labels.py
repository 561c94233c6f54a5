"""What each audit action is called on the audit viewer and in its export: the trail keeps
codes (`person.read_identity`); people read labels. A test reads every action the code records
and fails on one without a label here."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, Promise] = {
    "account.add_situation": _("Account: situation added"),
    "account.create": _("Account started"),
    "account.links_shown": _("Account: matching workplaces shown"),
    "account.read": _("Account read"),
    "account.remove_situation": _("Account: situation removed"),
    "account.save_section": _("Account: section saved"),
    "account.update_situation": _("Account: situation changed"),
    "admin.addition": _("Administration: added"),
    "admin.change": _("Administration: changed"),
    "admin.deletion": _("Administration: deleted"),
    "anonymous_notification.create": _("Anonymous notification recorded"),
    "assessment.conclude": _("Preliminary assessment concluded"),
    "assessment.create": _("Preliminary assessment started"),
    "assessment.read": _("Preliminary assessment read"),
    "assessment.save_draft": _("Preliminary assessment: draft saved"),
    "audit.export": _("Audit trail exported"),
    "concern.search": _("Concerns searched"),
    "notifications.digests_sent": _("Notifications: daily digests sent"),
    "notifications.preferences_changed": _("Notifications: e-mail preferences changed"),
    "notifications.reminders_sent": _("Notifications: deadline reminders sent"),
    "audit.read": _("Audit trail read"),
    "audit.verify_requested": _("Audit chain verification asked for"),
    "auth.idle_logout": _("Signed out after inactivity"),
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.login_locked": _("Sign-in blocked after failed attempts"),
    "auth.logout": _("Signed out"),
    "auth.mfa_by_provider": _("Second factor proven by the identity provider"),
    "breakglass.list": _("Exceptional accesses listed"),
    "breakglass.open": _("Exceptional access opened"),
    "breakglass.revoke": _("Exceptional access revoked"),
    "case.close": _("Case closed"),
    "case.create": _("Case opened"),
    "case.list": _("Cases listed"),
    "case.print": _("Case file printed"),
    "case.search": _("Cases searched"),
    "case.read": _("Case read"),
    "case.reopen": _("Case reopened"),
    "case.share": _("Case shared"),
    "case.share_revoke": _("Case sharing withdrawn"),
    "case.transition": _("Case status changed"),
    "case.update": _("Case changed"),
    "child_protection.alert": _("Child protection alert"),
    "compensation.decide": _("Compensation: decision recorded"),
    "compensation.lodge": _("Compensation claim lodged"),
    "compensation.read": _("Compensation claims read"),
    "compensation.update": _("Compensation claim changed"),
    "concern.attach": _("Concern attached to a case"),
    "concern.close": _("Concern closed"),
    "concern.create": _("Concern received"),
    "concern.honeypot": _("Automated submission refused"),
    "concern.open_case": _("Case opened from a concern"),
    "concern.read": _("Concern read"),
    "consent.record": _("Consent recorded"),
    "consent.withdraw": _("Consent withdrawn"),
    "crypto.rebuild_link_index": _("Link index rebuilt"),
    "crypto.rebuild_person_index": _("Person index rebuilt"),
    "crypto.rotate_field_keys": _("Encryption keys rotated"),
    "demo.national_dataset": _("Fictional national dataset generated"),
    "directory.confirm": _("Directory entry confirmed"),
    "directory.create": _("Directory entry created"),
    "directory.unpublish": _("Directory entry withdrawn"),
    "directory.update": _("Directory entry changed"),
    "recognition.recognised": _("Authorised reporter recognised"),
    "recognition.renewed": _("Recognition of an authorised reporter renewed"),
    "recognition.withdrawn": _("Recognition of an authorised reporter withdrawn"),
    "recognition.expired": _("Recognition of an authorised reporter expired"),
    "recognition.reminders_sent": _("Reminders of recognitions expiring sent"),
    "protocol.snapshot": _("Protocol version kept"),
    "document.decision_letter": _("Decision letter printed"),
    "document.leaflet": _("Leaflet printed"),
    "document.non_punishment_note": _("Non-punishment note printed"),
    "document.reflection_attestation": _("Reflection period attestation printed"),
    "document.residence_letter": _("Residence letter printed"),
    "document.status_attestation": _("Status attestation printed"),
    "evidence.download": _("Document downloaded"),
    "evidence.read": _("Documents listed"),
    "evidence.remove": _("Document removed"),
    "evidence.upload": _("Document attached"),
    "exploiter.add": _("Exploiter added"),
    "exploiter.possible_match": _("Exploiter possibly known elsewhere"),
    "exploiter.remove": _("Exploiter removed"),
    "exploiter.update": _("Exploiter changed"),
    "exploiters.read": _("Exploiters and workplaces read"),
    "exchange.export_bulk": _("Cases exported in HTCDS terms, pseudonymised"),
    "exchange.export_case": _("Case exported in HTCDS terms for a partner"),
    "exchange.import": _("HTCDS file imported as concerns"),
    "facts.read": _("Facts read"),
    "facts.save": _("Facts saved"),
    "guardian.record": _("Guardian recorded"),
    "identification.deadlines_read": _("Identification deadlines read"),
    "identification.decision": _("Identification decision taken"),
    "identification.decision_read": _("Identification decision read"),
    "identification.reconsideration_requested": _("Reconsideration asked for"),
    "identification.reminders_sent": _("Identification reminders sent"),
    "immediate_needs.record": _("Immediate needs recorded"),
    "job.acknowledged": _("Failed job acknowledged"),
    "job.failed": _("Job failed"),
    "job.reclaimed": _("Job taken over after its worker stopped"),
    "job.retried": _("Job run again"),
    "judicial.cooperation_ended": _("Cooperation with the authorities ended"),
    "judicial.referral_read": _("Judicial record read"),
    "judicial.referrals_read": _("Judicial records listed"),
    "judicial.statement_recorded": _("Statement to the authorities recorded"),
    "need.record": _("Need recorded"),
    "non_punishment.note_sent": _("Non-punishment note sent"),
    "non_punishment.outcome": _("Non-punishment: outcome recorded"),
    "non_punishment.read": _("Non-punishment read"),
    "non_punishment.record": _("Non-punishment recorded"),
    "notifications.read": _("Notifications read"),
    "organisation.deactivate_member": _("Member deactivated"),
    "organisation.invitation_not_sent": _("Invitation not sent"),
    "organisation.invite": _("Member invited"),
    "organisation.resend_invitation": _("Invitation sent again"),
    "organisation.view_members": _("Members listed"),
    "orientation.consent_moved": _("Orientation: consent carried over"),
    "orientation.propose": _("Orientation proposed"),
    "orientation.read": _("Orientation read"),
    "orientation.share_again": _("Orientation shared again"),
    "orientation.transition": _("Orientation status changed"),
    "outbox.failed": _("E-mail not delivered"),
    "outbox.purged": _("Sent e-mails purged"),
    "outbox.requeued": _("E-mail queued again"),
    "outbox.sent": _("E-mail sent"),
    "person.create": _("Person recorded"),
    "person.possible_match": _("Person possibly known elsewhere"),
    "person.read_identity": _("Identity read"),
    "person.rectify": _("Identity rectified"),
    "person.subject_access": _("Subject access: data provided"),
    "person.update": _("Identity changed"),
    "placement.end": _("Placement ended"),
    "placement.start": _("Placement started"),
    "platform.conflict_declared": _("Conflict of interest declared"),
    "platform.deputy_chair_designate": _("Deputy chair designated"),
    "platform.deputy_chair_end": _("Deputy chair ended"),
    "platform.file_read": _("Referred file read"),
    "platform.information_provided": _("Information provided to the platform"),
    "platform.information_requested": _("Information asked for by the platform"),
    "platform.interview_designated": _("Interviewers designated"),
    "platform.interview_report": _("Interview report recorded"),
    "platform.member_add": _("Platform member added"),
    "platform.member_remove": _("Platform member removed"),
    "platform.members_read": _("Platform members listed"),
    "platform.question_read": _("Platform question read"),
    "platform.vote": _("Vote cast"),
    "platform.workspace_read": _("Platform workspace read"),
    "referral.create": _("Referred to formal identification"),
    "residence.apply": _("Residence application recorded"),
    "residence.decide": _("Residence decision recorded"),
    "monitoring.funnel_read": _("Monitoring: the funnel read"),
    "monitoring.indicators_read": _("Monitoring: the Directive indicators read"),
    "residence.monitoring": _("Residence applications monitored"),
    "residence.read": _("Residence read"),
    "residence.receipt": _("Residence receipt recorded"),
    "retention.anonymise": _("Case anonymised"),
    "retention.anonymise_person": _("Person anonymised"),
    "retention.archive": _("Case archived"),
    "retention.closed": _("Retention: case closed"),
    "retention.dry_run": _("Retention simulated"),
    "retention.erase_concern": _("Concern erased"),
    "retention.erase_htcds_record": _("Imported HTCDS record of a concern erased"),
    "retention.report": _("Retention report read"),
    "retention.run": _("Retention applied"),
    "rights.record": _("Rights information recorded"),
    "safe_contact.create": _("Safe contact recorded"),
    "safe_contact.read": _("Safe contact read"),
    "safe_contact.update": _("Safe contact changed"),
    "service.capacity": _("Service capacity changed"),
    "service.create": _("Service created"),
    "service.update": _("Service changed"),
    "support.close": _("Support closed"),
    "support.follow_up": _("Support follow-up recorded"),
    "support.open": _("Support opened"),
    "support.reopen": _("Support reopened"),
    "training.add": _("Training recorded"),
    "transfer.accept": _("Transfer accepted"),
    "transfer.decline": _("Transfer declined"),
    "transfer.end_former_access": _("Former owner's access ended"),
    "transfer.list": _("Transfers listed"),
    "transfer.propose": _("Transfer proposed"),
    "transfer.read": _("Transfer read"),
    "transfer.request": _("Transfer asked for"),
    "transfer.withdraw": _("Transfer withdrawn"),
    "workplace.add": _("Workplace added"),
    "workplace.possible_match": _("Workplace possibly known elsewhere"),
    "workplace.remove": _("Workplace removed"),
    "workplace.update": _("Workplace changed"),
}


def action_label(code: str) -> str:
    """The action's label, else its code (an action the test has not seen yet)."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


# How an action reached the domain (opennrm.core.acting.Channel), after "through:".
CHANNEL_LABELS: dict[str, Promise] = {
    "page": _("a page"),
    "api": _("the API"),
    "job": _("a background job"),
    "command": _("a command"),
    "import": _("an import"),
}


def channel_label(code: str) -> str:
    label = CHANNEL_LABELS.get(code)
    return str(label) if label is not None else code


# What the details of an entry are called, where a key is common; other keys are shown
# humanised ("shares_revoked" → "Shares revoked").
DETAIL_LABELS: dict[str, Promise] = {
    "account": _("Account"),
    "action": _("Action"),
    "attempts": _("Attempts"),
    "basis": _("Legal basis"),
    "break_glass": _("Exceptional access"),
    "case": _("Case"),
    "changed": _("Changed"),
    "channel": _("Channel"),
    "closure": _("Closure"),
    "concern": _("Concern"),
    "date_from": _("From"),
    "date_to": _("To"),
    "day": _("Day"),
    "decision": _("Decision"),
    "error": _("Error"),
    "evidence": _("Document"),
    "fields": _("Fields"),
    "filters": _("Filters"),
    "format": _("Format"),
    "kind": _("Kind"),
    "language": _("Language"),
    "member": _("Member"),
    "object_id": _("Object number"),
    "object_type": _("Object type"),
    "organisation": _("Organisation"),
    "organisations": _("Organisations"),
    "orientation": _("Orientation"),
    "outcome": _("Outcome"),
    "owner": _("Owner"),
    "page": _("Page"),
    "people": _("People"),
    "period": _("Reflection period"),
    "reason": _("Reason"),
    "referral": _("Referral"),
    "route": _("Route"),
    "rows": _("Rows"),
    "scope": _("Scope"),
    "service_type": _("Service type"),
    "task": _("Task"),
    "urgency": _("Urgency"),
    "verified": _("Chain verified"),
}


def detail_label(key: str) -> str:
    label = DETAIL_LABELS.get(key)
    if label is not None:
        return str(label)
    return str(key).replace("_", " ").replace(".", " ").strip().capitalize()


def detail_value(key: str, value: object) -> str:
    """A detail's value as text: yes or no, lists joined, nested details as "label: value",
    actions by their labels; empty values as nothing."""
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{label}{_(':')} {text}" for label, text in details_lines(value))
    if isinstance(value, list | tuple | set):
        return ", ".join(text for item in value if (text := detail_value(key, item)))
    if key == "action" and isinstance(value, str):
        return action_label(value)
    return str(value)


def details_lines(details: object) -> list[tuple[str, str]]:
    """An entry's details as (label, text) lines, the empty ones left out: `{}` shows nothing.
    In the order of their keys: PostgreSQL's jsonb keeps no order of its own (it sorts keys by
    length), so the page reads the same whatever the database."""
    if not isinstance(details, dict):
        return []
    lines = []
    for key, value in sorted(details.items(), key=lambda item: str(item[0])):
        text = detail_value(str(key), value)
        if text:
            lines.append((detail_label(str(key)), text))
    return lines
