"""The records held about a case, found through Django's relations rather than a fixed list, so
that a model added later (a step of the mechanism, a new kind of record) is included in a
subject access export and in anonymisation without anyone remembering to add it here."""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Model
from django.db.models.fields.reverse_related import ForeignObjectRel

# Children of the case and their own children (a referral's votes, a consent's shares…).
DEPTH = 2


def reverse_relations(model: type[Model]) -> list[ForeignObjectRel]:
    """The relations that point at `model` with a foreign key or a one-to-one field."""
    return [
        rel
        for rel in model._meta.related_objects
        if (rel.one_to_many or rel.one_to_one) and rel.related_model is not None
    ]


@dataclass
class RelatedRecords:
    """Records reached from a root object, grouped by model, each once, in a stable order."""

    by_model: dict[type[Model], list[Model]] = field(default_factory=dict)

    def __iter__(self) -> Iterator[tuple[type[Model], list[Model]]]:
        return iter(self.by_model.items())

    def count(self) -> int:
        return sum(len(records) for records in self.by_model.values())


def related_records(
    root: Model, *, depth: int = DEPTH, skip: frozenset[str] = frozenset()
) -> RelatedRecords:
    """Every record pointing at `root`, and (up to `depth`) at those records. `skip` names
    models (``app_label.modelname``) not to follow."""
    found = RelatedRecords()
    seen: set[tuple[str, object]] = {(root._meta.label_lower, root.pk)}
    frontier: list[Model] = [root]
    for _level in range(depth):
        following: list[Model] = []
        for parent in frontier:
            for rel in reverse_relations(type(parent)):
                model: type[Model] = rel.related_model
                label = model._meta.label_lower
                if label in skip:
                    continue
                lookup = {rel.field.name: parent}
                for record in model._base_manager.filter(**lookup).order_by("pk"):
                    key = (label, record.pk)
                    if key in seen:
                        continue
                    seen.add(key)
                    found.by_model.setdefault(model, []).append(record)
                    following.append(record)
        frontier = following
    return found
