from django.contrib import admin

from budgets.models import NodeBudget
from milestones.models import Phase

from .models import FundingDecision, Goal, Node, Organisation, Output, Partner, Person, Responsibility, Task


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "business_id", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "key"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation", "email", "user"]
    list_filter = ["organisation"]
    search_fields = ["name", "title", "email"]
    autocomplete_fields = ["organisation", "user"]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class OutputInline(admin.TabularInline):
    model = Output
    extra = 0


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["person"]


class PartnerInline(admin.TabularInline):
    model = Partner
    extra = 0


class NodeBudgetInline(admin.TabularInline):
    model = NodeBudget
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "programme", "parent", "start", "end", "archived_at"]
    list_filter = ["kind", "programme"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["programme", "parent"]
    autocomplete_fields = ["programme", "parent", "owner"]
    inlines = [
        NodeBudgetInline,
        GoalInline,
        OutputInline,
        TaskInline,
        ResponsibilityInline,
        PartnerInline,
        PhaseInline,
    ]


@admin.register(FundingDecision)
class FundingDecisionAdmin(admin.ModelAdmin):
    list_display = ["number", "programme", "funder", "date", "amount", "grant_rate", "source"]
    list_filter = ["source", "funder"]


for model in (Goal, Output, Task, Responsibility, Partner):
    admin.site.register(model)
