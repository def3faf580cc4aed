"""Every loaded text, figure, date and name stands in the document it names as its source."""

import calendar
import re
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps

from budgets.models import BudgetLine, NodeBudget, PlanVersion
from portfolio.models import FundingDecision, Node, Partner, Responsibility, Sourced

from .documents import document, every_document, squeeze

pytestmark = [pytest.mark.django_db, pytest.mark.seeds]

# Labels the transcription puts before the plan's own words ("Dian otsikko: Hankejohto").
EDITORIAL = {"dian otsikko", "kirjoittajaryhmissä", "dia"}
# Short labels given in transcription, not the plan's sentences (fixtures/popsote/README.md says which):
# an indicator's, a plan version's and a background item's name.
LABELS = {"indicators.Indicator": {"name"}, "budgets.PlanVersion": {"name"}, "portfolio.Background": {"title"}}
# A short name may come from another of the programme's documents ("Rakennehanke" is the review's word).
ANY_DOCUMENT = {"short_name"}
TEXT_FIELDS = (
    "name",
    "short_name",
    "description",
    "text",
    "note",
    "mitigation",
    "schedule_text",
    "period_text",
    "share_text",
    "valid_text",
    "title",
    "done",
    "stage",
    "subject",
    "timing",
    "performed_by",
    "published_in",
    "presented_by",
    "date_text",
)


def found(part, text):
    part = squeeze(part)
    if part in text:
        return True
    # Letters spaced apart on a slide ("M u u t o s j o h t a j a"), text flowing round a picture.
    return part.replace(" ", "") in text.replace(" ", "")


def missing_parts(value, text):
    """The parts of ``value`` that are not in ``text`` (a document squeezed): by line, ``;``, ``:``, sentence, comma."""
    missing = []
    for segment in re.split(r"\n|; | … |(?<=\S): ", value):
        segment = segment.strip(" .")
        segment = segment[len("Dia ") :] if segment.startswith("Dia ") else segment
        if len(segment) < 6 or squeeze(segment) in EDITORIAL or found(segment, text):
            continue
        sentences = [s.strip(" .") for s in re.split(r"(?<=[.?!])\s+", segment)]
        for sentence in sentences:
            if len(sentence) < 6 or found(sentence, text):
                continue
            commas = [c.strip(" .") for c in sentence.split(", ")]
            missing += [c for c in commas if len(c) >= 6 and squeeze(c) not in EDITORIAL and not found(c, text)]
    return missing


def sourced_models():
    return [m for m in apps.get_models() if issubclass(m, Sourced) and not m._meta.label.startswith("historical")]


def test_every_loaded_text_is_in_its_source_document(popsote):
    problems = []
    for model in sourced_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if f.name in TEXT_FIELDS and f.name not in LABELS.get(model._meta.label, set()) and not f.choices
        ]
        for obj in model.objects.exclude(source_document=None).select_related("source_document"):
            own = document(obj.source_document.key)
            for name in fields:
                value = getattr(obj, name)
                text = every_document() if name in ANY_DOCUMENT else own
                if value:
                    problems += [(model._meta.label, obj.pk, name, part) for part in missing_parts(value, text)]
    assert problems == [], "\n".join(map(str, problems))


def test_every_indicator_target_as_written_is_in_its_indicators_document(popsote):
    from indicators.models import IndicatorTarget

    for target in IndicatorTarget.objects.exclude(text="").select_related("indicator__source_document"):
        assert squeeze(target.text) in document(target.indicator.source_document.key), target


def amounts(value):
    """How the documents write an amount: ``2 194 000``, ``9.900.205``, ``60.000``."""
    whole = f"{int(value):,}"
    return {whole.replace(",", " "), whole.replace(",", "."), whole.replace(",", "")}


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (NodeBudget, ("total", "grant", "own_funding")),
        (BudgetLine, ("amount",)),
        (Partner, ("share",)),
        (FundingDecision, ("amount",)),
    ],
)
def test_every_euro_figure_is_written_so_in_its_document(popsote, model, fields):
    problems = []
    for obj in model.objects.exclude(source_document=None).select_related("source_document"):
        text = document(obj.source_document.key)
        for name in fields:
            value = getattr(obj, name)
            if value in (None, Decimal(0)):
                continue
            assert value == value.to_integral(), (obj, name)  # the plans give whole euros
            if not any(squeeze(form) in text for form in amounts(value)):
                problems.append((str(obj), name, value))
    assert problems == [], "\n".join(map(str, problems))


def _month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def dates_in(text):
    """The spans a schedule text names, as (first day, last day): ``31.12.24``, ``4-6/2020``, ``12/2021``, ``2025``."""
    spans = []
    for day, month, year in re.findall(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2,4})\b", text):
        year = int(year) + (2000 if len(year) == 2 else 0)
        spans.append((date(year, int(month), int(day)),) * 2)
    text = re.sub(r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b", "", text)
    for first, last, year in re.findall(r"\b(\d{1,2})-(\d{1,2})/(\d{4})\b", text):
        spans.append((date(int(year), int(first), 1), _month_end(int(year), int(last))))
    text = re.sub(r"\b\d{1,2}-\d{1,2}/\d{4}\b", "", text)
    for month, year in re.findall(r"\b(\d{1,2})/(\d{4})\b", text):
        spans.append((date(int(year), int(month), 1), _month_end(int(year), int(month))))
    text = re.sub(r"\b\d{1,2}/\d{4}\b", "", text)
    for year in re.findall(r"\b(20\d\d)\b", text):
        spans.append((date(int(year), 1, 1), date(int(year), 12, 31)))
    return spans


def test_no_node_has_a_date_its_plan_does_not_write(popsote):
    """A node's start and end are the first and last day its schedule, as the plan writes it, names."""
    for node in Node.objects.exclude(start=None, end=None).select_related("source_document"):
        assert node.schedule_text, node
        for piece in node.schedule_text.split(" … "):
            assert squeeze(piece) in document(node.source_document.key), (node, piece)
        spans = dates_in(node.schedule_text)
        if node.start:
            assert node.start in {start for start, _end in spans}, (node, node.start)
        if node.end:
            assert node.end in {end for _start, end in spans}, (node, node.end)


def test_every_person_is_named_in_the_document_of_each_of_their_roles(popsote):
    for item in Responsibility.objects.exclude(source_document=None).select_related("person", "source_document"):
        assert squeeze(item.person.name) in document(item.source_document.key), item


def test_every_plan_version_is_a_document_of_its_programme(popsote):
    for plan in PlanVersion.objects.select_related("source_document", "programme"):
        assert plan.source_document is not None, plan
        if plan.date:
            assert plan.date in (plan.source_document.date,), plan
