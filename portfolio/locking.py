"""Rows that lock at some state of theirs (an approved status update), and the rows locked with them.

A ``Lockable`` model says which of its rows are locked (``locked_rows``) and how a change is refused
(``Locked``: a subclass of ``portfolio.locking.Locked`` with its message); a ``LockedPart`` names the
foreign key to its parent (``locked_with``) and is locked whenever the parent is. Saves, deletes and
bulk updates of a locked row raise, in the model itself, so that pages, the API, the admin and
scripts are refused alike.
"""

from django.core.exceptions import ValidationError
from django.db import models

from .models import Tracked


class Locked(ValidationError):
    """A locked row cannot change."""


class LockedQuerySet(models.QuerySet):
    """Bulk updates and deletes refuse a queryset that holds a locked row."""

    def locked(self):
        return self.filter(self.model.locked_rows())

    def update(self, **kwargs):
        if self.locked().exists():
            raise self.model.locked_error()
        return super().update(**kwargs)

    def delete(self):
        if self.locked().exists():
            raise self.model.locked_error()
        return super().delete()


class Locking(Tracked):
    objects = LockedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.locked_in_database():
            raise self.locked_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_locked or self.locked_in_database():
            raise self.locked_error()
        return super().delete(*args, **kwargs)


class Lockable(Locking):
    """A model whose rows lock: ``locked_rows(prefix)`` is the condition, ``Locked`` the refusal."""

    Locked = Locked

    class Meta:
        abstract = True

    @classmethod
    def locked_rows(cls, prefix=""):
        """The condition of locked rows as a Q; ``prefix`` leads to this model from another (``update__``)."""
        raise NotImplementedError

    @classmethod
    def locked_error(cls):
        return cls.Locked()

    @property
    def is_locked(self):
        """Locked as loaded (what the admin shows); saves ask the database."""
        raise NotImplementedError

    def locked_in_database(self):
        manager = type(self)._default_manager
        return self.pk is not None and manager.filter(self.locked_rows(), pk=self.pk).exists()


class LockedPart(Locking):
    """A row locked with its parent: ``locked_with`` names the foreign key to a ``Lockable``."""

    locked_with = None

    class Meta:
        abstract = True

    @classmethod
    def parent_model(cls):
        return cls._meta.get_field(cls.locked_with).related_model

    @classmethod
    def locked_rows(cls, prefix=""):
        return cls.parent_model().locked_rows(prefix=f"{prefix}{cls.locked_with}__")

    @classmethod
    def locked_error(cls):
        return cls.parent_model().locked_error()

    @property
    def is_locked(self):
        parent = getattr(self, self.locked_with)
        return parent is not None and parent.is_locked

    def locked_in_database(self):
        parent, parent_id = self.parent_model(), getattr(self, f"{self.locked_with}_id")
        return parent_id is not None and parent._default_manager.filter(parent.locked_rows(), pk=parent_id).exists()
