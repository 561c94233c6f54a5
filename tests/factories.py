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
