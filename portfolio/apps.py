from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portfolio"
    verbose_name = _("Hankesalkku")

    def ready(self):
        from . import (
            accounts,  # noqa: F401  (the log of use's sign-in receivers)
            extensions,
            forms,
            node_page,
            permissions,  # noqa: F401  (registers the table of rules)
        )
        from .extensions import Editable
        from .models import (
            Background,
            Body,
            Evaluation,
            FundingDecision,
            Goal,
            Node,
            Organisation,
            Output,
            Partner,
            Person,
            Responsibility,
            Risk,
            Task,
        )

        extensions.node_section("portfolio/_node_about.html", node_page.about, order=10)
        extensions.node_section("portfolio/_node_plan.html", node_page.plan, order=30)
        extensions.node_section("portfolio/_node_risks.html", node_page.risks, order=80)
        extensions.node_section("portfolio/_node_plan_facts.html", node_page.plan_facts, order=85)
        extensions.node_section("portfolio/_node_subtree.html", order=90)

        extensions.node_history(Node, "id")
        for model in (Task, Responsibility, Goal, Output, Partner, Risk, Body, Evaluation, Background):
            extensions.node_history(model)
        extensions.node_history(FundingDecision, "programme_id", when=lambda node: node.is_programme)

        def own(obj):
            return obj.node

        extensions.editable(
            "kohde", Editable(Node, forms.NodeForm, _("hankkeen osa"), node_of=lambda obj: obj, parent_kwarg="parent")
        )
        extensions.editable("rahoituspaatos", Editable(FundingDecision, forms.FundingDecisionForm, _("rahoituspäätös")))
        extensions.editable(
            "tehtava",
            Editable(
                Task,
                forms.TaskForm,
                _("tehtävä"),
                node_of=own,
                siblings=lambda node_id: Task.objects.filter(node=node_id, archived_at__isnull=True),
            ),
        )
        extensions.editable(
            "vastuu",
            Editable(
                Responsibility,
                forms.ResponsibilityForm,
                _("vastuu"),
                node_of=own,
                siblings=lambda node_id: Responsibility.objects.filter(node=node_id),
                parent_kwarg="node",
                add_label=_("Lisää vastuuhenkilö"),
                order=10,
            ),
        )
        extensions.editable(
            "riski",
            Editable(
                Risk,
                forms.RiskForm,
                _("riski"),
                node_of=own,
                siblings=lambda node_id: Risk.objects.filter(node=node_id),
                parent_kwarg="node",
                add_label=_("Lisää riski"),
                order=50,
            ),
        )
        extensions.editable("henkilo", Editable(Person, forms.PersonForm, _("henkilö")))
        extensions.editable("organisaatio", Editable(Organisation, forms.OrganisationForm, _("organisaatio")))
