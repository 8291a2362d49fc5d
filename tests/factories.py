"""factory_boy factories for the domain model."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from annotations.models import Claim, Document, Membership, Project, Role
from annotations.services.scales import scale_create_default


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("correct horse battery")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Newsroom {n}")
    slug = factory.Sequence(lambda n: f"newsroom-{n}")
    organization_name = factory.LazyAttribute(lambda project: project.name)

    @factory.post_generation
    def scale(project, create, extracted, **kwargs):
        if create:
            scale_create_default(project=project)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.REVIEWER


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    text = "The ministry said exports grew by 5% in 2023. I think that is good news."
    language = "en"
    status = Document.Status.READY


class ClaimFactory(factory.django.DjangoModelFactory):
    """A claim spanning the first sentence-ish stretch of its document unless told."""

    class Meta:
        model = Claim

    document = factory.SubFactory(DocumentFactory)
    position = factory.Sequence(lambda n: n)
    start = 0
    end = factory.LazyAttribute(lambda claim: claim.document.text.find(".") + 1)
    text = factory.LazyAttribute(lambda claim: claim.document.text[claim.start : claim.end])
    kind = "fact"
    checkworthiness = 0.8
