"""factory_boy factories for the core models. Every name is fictional."""

import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from opennrm.core.models import Membership, Organisation, Territory, TrainingRecord, User
from opennrm.directory.models import ContactEntry

PASSWORD = "test-password-Fictive-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@test.opennrm.invalid")
    full_name = factory.Sequence(lambda n: f"Fictional Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def mfa(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        self.save()
        EmailAddress.objects.get_or_create(
            user=self, email=self.email, defaults={"primary": True, "verified": True}
        )
        if create and extracted is not False:
            TOTP.activate(self, TOTP_SECRET)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Fictional organisation {n}")
    kind = "association"
    email = factory.Sequence(lambda n: f"org{n}@test.opennrm.invalid")

    @factory.post_generation
    def territories(
        self, create: bool, extracted: list[Territory] | None, **kwargs: object
    ) -> None:
        if create and extracted:
            self.territories.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "field_worker"


class TrainingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingRecord

    user = factory.SubFactory(UserFactory)
    course = "Fictional course on trafficking in human beings"
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=700))


class ContactEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactEntry

    organisation = factory.SubFactory(OrganisationFactory, kind="prefecture")
    territory = factory.LazyFunction(lambda: Territory.objects.get(code="93"))
    post_title = factory.Sequence(lambda n: f"THB contact post {n} (fictional)")
    remit = "Residence permits for victims"
    email = factory.Sequence(lambda n: f"post{n}@test.opennrm.invalid")
    last_confirmed_on = factory.LazyFunction(timezone.localdate)


# Case file --------------------------------------------------------------------------------

from opennrm.cases.models import Case, Person  # noqa: E402
from opennrm.detection.models import Concern  # noqa: E402


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_names = factory.Sequence(lambda n: f"Fictive{n}")
    family_name = "Testperson"
    estimated_age = 30
    sex = "female"
    nationalities = factory.LazyFunction(lambda: ["RO"])
    languages = factory.LazyFunction(lambda: ["ro"])


class CaseFactory(factory.django.DjangoModelFactory):
    """A case in preliminary assessment, owned by `owner` (default: a new association in 93)."""

    class Meta:
        model = Case

    person = factory.SubFactory(PersonFactory)
    owner = factory.SubFactory(OrganisationFactory)
    detected_by = factory.SelfAttribute("owner")
    territory = factory.LazyFunction(lambda: Territory.objects.get(code="93"))
    channel = "direct"
    detected_on = factory.LazyFunction(timezone.localdate)
    forms = factory.LazyFunction(lambda: ["forced_labour"])
    sector = "construction"

    @classmethod
    def _create(cls, model_class: type[Case], *args: object, **kwargs: object) -> Case:
        case = model_class(*args, **kwargs)
        case.refresh_age()
        case.save()
        return case


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    channel = "public_report"
    territory = factory.LazyFunction(lambda: Territory.objects.get(code="93"))
    place_type = "construction"
    sector = "construction"
    description = "Fictional: workers sleep on the building site and never leave it."
    signs = factory.LazyFunction(lambda: ["housed_at_work", "long_hours"])
    triage_due = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=2))
