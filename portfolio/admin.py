from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from budgets.models import NodeBudget
from milestones.models import Phase

from .models import (
    ApiToken,
    Feedback,
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
from .permissions import is_office


class OfficeAdmin(SimpleHistoryAdmin):
    """The project office maintains the data in the admin too; nothing is deleted, only archived."""

    def has_view_permission(self, request, obj=None):
        return is_office(request.user)

    def has_add_permission(self, request, *args):
        return is_office(request.user)

    def has_change_permission(self, request, obj=None):
        return is_office(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return is_office(request.user)


@admin.register(Organisation)
class OrganisationAdmin(OfficeAdmin):
    list_display = ["name", "short_name", "kind", "business_id", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "key"]


@admin.register(Person)
class PersonAdmin(OfficeAdmin):
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
class NodeAdmin(OfficeAdmin):
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
class FundingDecisionAdmin(OfficeAdmin):
    list_display = ["number", "programme", "funder", "date", "amount", "grant_rate", "source"]
    list_filter = ["source", "funder"]


for model in (Goal, Output, Task, Responsibility, Partner, Risk):
    admin.site.register(model, OfficeAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The office sees who has tokens and may revoke one; a token itself is never stored or shown."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "expires_at", "last_used_at"]

    def has_view_permission(self, request, obj=None):
        return is_office(request.user)

    def has_change_permission(self, request, obj=None):
        return is_office(request.user)

    def has_module_permission(self, request):
        return is_office(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Accessibility feedback from the statement's form: the office reads it and marks it handled."""

    list_display = ["created_at", "message", "email", "page", "handled_at"]
    list_filter = ["handled_at"]
    readonly_fields = ["message", "email", "page", "user", "created_at"]

    def has_view_permission(self, request, obj=None):
        return is_office(request.user)

    def has_change_permission(self, request, obj=None):
        return is_office(request.user)

    def has_module_permission(self, request):
        return is_office(request.user)

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
