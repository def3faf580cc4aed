import factory
from django.contrib.auth import get_user_model

from budgets.models import NodeBudget, PlanVersion
from milestones.models import Phase
from portfolio.models import FundingDecision, Goal, Node, Organisation, Output, Partner, Person, Responsibility, Task
from reports.models import Export


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"kayttaja{n}")
    password = factory.django.Password("salasana-123")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    key = factory.Sequence(lambda n: f"org{n}")
    name = factory.Sequence(lambda n: f"Organisaatio {n}")
    kind = Organisation.Kind.AREA


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Henkilö {n}")
    organisation = factory.SubFactory(OrganisationFactory)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Node
        skip_postgeneration_save = True

    kind = Node.Kind.PROGRAMME
    code = factory.Sequence(lambda n: f"H{n}")
    name = factory.Sequence(lambda n: f"Hanke {n}")

    @factory.post_generation
    def set_programme(obj, create, extracted, **kwargs):
        obj.programme = obj
        if create:
            obj.save(update_fields=["programme"])


class NodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Node

    parent = factory.SubFactory(ProgrammeFactory)
    programme = factory.LazyAttribute(lambda node: node.parent.programme)
    kind = Node.Kind.SUBPROJECT
    code = factory.Sequence(lambda n: f"N{n}")
    name = factory.Sequence(lambda n: f"Osahanke {n}")
    reports_monthly = True


class MeasureFactory(NodeFactory):
    kind = Node.Kind.MEASURE
    name = factory.Sequence(lambda n: f"Toimenpide {n}")
    reports_monthly = False


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanVersion

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"plan{n}")
    name = factory.Sequence(lambda n: f"Hankesuunnitelma {n}")
    is_current = True


class NodeBudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NodeBudget

    node = factory.SubFactory(NodeFactory)
    plan = factory.LazyAttribute(lambda budget: budget.node.programme.plan_versions.get(is_current=True))
    total = "100000.00"


class FundingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingDecision

    programme = factory.SubFactory(ProgrammeFactory)
    funder = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.MINISTRY)
    number = factory.Sequence(lambda n: f"VN/{n}/2022")
    amount = "1000000.00"
    grant_rate = "80.00"
    source = FundingDecision.Source.NATIONAL


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    node = factory.SubFactory(NodeFactory)
    text = factory.Sequence(lambda n: f"Tavoite {n}")


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    node = factory.SubFactory(NodeFactory)
    text = factory.Sequence(lambda n: f"Tuotos {n}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    node = factory.SubFactory(MeasureFactory)
    text = factory.Sequence(lambda n: f"Tehtävä {n}")
    position = factory.Sequence(int)


class ResponsibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Responsibility

    node = factory.SubFactory(MeasureFactory)
    person = factory.SubFactory(PersonFactory)


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    node = factory.SubFactory(NodeFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    node = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Vaihe {n}")


class ExportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Export

    programme = factory.SubFactory(ProgrammeFactory)
    kind = Export.Kind.MEASURES_XLSX
    requested_by = factory.SubFactory(UserFactory)
