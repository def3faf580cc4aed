from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from popsote.text import CleanText

from . import extensions
from .models import (
    ApiToken,
    Background,
    Body,
    Evaluation,
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
    ServiceContract,
    SourceDocument,
    Task,
    UsageEvent,
    UserSession,
)


class CleanTextModelForm(CleanText, forms.ModelForm):
    """The admin refuses control characters as the pages do."""


class AdminRule:
    """Who may use the admin is the rules table's ``portfolio.use_admin`` (the project office)."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("portfolio.use_admin")

    def has_add_permission(self, request, *args):
        return request.user.has_perm("portfolio.use_admin")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("portfolio.use_admin")

    def has_module_permission(self, request):
        return request.user.has_perm("portfolio.use_admin")

    def has_delete_permission(self, request, obj=None):
        return False  # not a question of who: nothing is deleted, only archived


class OfficeAdmin(AdminRule, SimpleHistoryAdmin):
    """The project office maintains the data in the admin too."""

    form = CleanTextModelForm


class LockedAdmin(OfficeAdmin):
    """Rows locked with their parent (``portfolio.locking``) are read-only here too; the model refuses saves anyway."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_locked)


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
    form = CleanTextModelForm
    model = Goal
    extra = 0


class OutputInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Output
    extra = 0


class TaskInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Task
    extra = 0


class ResponsibilityInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Responsibility
    extra = 0
    autocomplete_fields = ["person"]


class PartnerInline(admin.TabularInline):
    form = CleanTextModelForm
    model = Partner
    extra = 0


@admin.register(Node)
class NodeAdmin(OfficeAdmin):
    list_display = ["code", "name", "kind", "programme", "parent", "start", "end", "archived_at"]
    list_filter = ["kind", "programme"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["programme", "parent"]
    autocomplete_fields = ["programme", "parent", "owner"]
    inlines = [GoalInline, OutputInline, TaskInline, ResponsibilityInline, PartnerInline]

    def get_inlines(self, request, obj):
        return [*extensions.node_inlines(), *self.inlines]


@admin.register(FundingDecision)
class FundingDecisionAdmin(OfficeAdmin):
    list_display = ["number", "programme", "funder", "date", "amount", "grant_rate", "source"]
    list_filter = ["source", "funder"]


for model in (Goal, Output, Task, Responsibility, Partner, Risk, Body, Evaluation, Background, ServiceContract):
    admin.site.register(model, OfficeAdmin)


@admin.register(SourceDocument)
class SourceDocumentAdmin(OfficeAdmin):
    list_display = ["name", "edition", "date", "key"]


@admin.register(ApiToken)
class ApiTokenAdmin(AdminRule, admin.ModelAdmin):
    """The office sees who has tokens and may revoke one; a token itself is never stored or shown."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request, *args):
        return False  # a token is made by its owner on their own page


class LoginLockoutAdmin(AccessAttemptAdmin):
    """django-axes' failed logins: the project office reads them and unlocks a user or an address by deleting them."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("portfolio.use_admin")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("portfolio.use_admin")

    def has_module_permission(self, request):
        return request.user.has_perm("portfolio.use_admin")


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LoginLockoutAdmin)


@admin.register(Feedback)
class FeedbackAdmin(AdminRule, admin.ModelAdmin):
    """Accessibility feedback from the statement's form: the office reads it and marks it handled."""

    list_display = ["created_at", "message", "email", "page", "handled_at"]
    list_filter = ["handled_at"]
    readonly_fields = ["message", "email", "page", "user", "created_at"]

    def has_add_permission(self, request, *args):
        return False  # feedback comes from the statement's form


class ShownOnly(AdminRule, admin.ModelAdmin):
    """Rows the admin shows and never adds, changes or deletes."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UsageEvent)
class UsageEventAdmin(ShownOnly):
    """The log of use: no one adds, changes or deletes an event (only the retention expires them)."""

    list_display = ["at", "user", "kind", "target", "address"]
    list_filter = ["kind", "at"]
    search_fields = ["target", "user__username"]
    readonly_fields = ["at", "user", "kind", "target", "path", "address"]


@admin.register(UserSession)
class UserSessionAdmin(ShownOnly):
    """Who is signed in where; sessions end by deactivation or sign-out everywhere (Käyttäjät)."""

    list_display = ["user", "created_at"]
    fields = readonly_fields = ["user", "created_at"]  # the key is a credential: never shown
