"""The portfolio search is bounded: a few words, each found through a trigram index; the worst search a user may
send costs no more queries than the page without a search. (Timings: ``manage.py bench_uploads``.)"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.filters import NodeFilter
from portfolio.models import Goal, Node, Task
from tests.api import conftest as api_fixtures

pytestmark = pytest.mark.django_db
api_client = api_fixtures.api_client

HUNDRED_WORDS = " ".join(f"sana{number}" for number in range(100))


def queries(client, **query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("portfolio:overview"), query)
    return response, len(captured)


def test_a_hundred_word_search_is_refused_within_a_normal_page_s_queries(logged_in, popsote):
    _page, normal = queries(logged_in)
    response, count = queries(logged_in, q=HUNDRED_WORDS)
    assert response.status_code == 400
    assert response.context["filter"].errors["q"] == ["Hae enintään 6 sanalla."]
    assert count <= normal


def test_the_worst_search_allowed_costs_no_more_queries_than_the_page(logged_in, popsote):
    _page, normal = queries(logged_in)
    response, count = queries(logged_in, q="kehittäminen palvelut lasten nuorten perheiden hoitotakuu")
    assert response.status_code == 200
    assert count <= normal


def test_words_are_found_in_goals_and_tasks_and_every_word_must_match(logged_in, popsote):
    task = Task.objects.select_related("node").first()
    goal = Goal.objects.select_related("node").first()
    by_task = {match.pk for match, _path in queries(logged_in, q=task.text.split()[0][:12])[0].context["matches"]}
    by_goal = {match.pk for match, _path in queries(logged_in, q=goal.text.split()[0][:12])[0].context["matches"]}
    assert task.node_id in by_task and goal.node_id in by_goal
    both = queries(logged_in, q="monihuone liikkuvat")[0].context["matches"]
    assert [node.name for node, _path in both] == ["Moniammatillinen monihuone vastaanottomalli ja liikkuvat yksiköt"]
    assert queries(logged_in, q="monihuone olematonsana")[0].context["matches"] == []


def test_short_words_are_left_out_and_a_code_is_found_as_it_is(logged_in, popsote):
    phrase = queries(logged_in, q="monihuone ja liikkuvat")[0].context["matches"]
    assert [node.name for node, _path in phrase] == ["Moniammatillinen monihuone vastaanottomalli ja liikkuvat yksiköt"]
    code = queries(logged_in, q="p4i1-3-m1")[0].context["matches"]
    assert {node.code for node, _path in code} == {"P4I1-3-M1"}


def test_each_word_is_looked_up_through_a_trigram_index(popsote):
    search = NodeFilter({"q": "monihuone liikkuvat"}, queryset=Node.objects.active()).qs
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the seed is small enough to read whole
        plan = search.explain()
    for index in ("portfolio_node_name_trgm", "portfolio_goal_text_trgm", "portfolio_task_text_trgm"):
        assert index in plan


def test_the_api_refuses_a_hundred_word_search_in_its_error_shape(api_client):
    response = api_client("steering").get(reverse("api:node-list"), {"q": HUNDRED_WORDS})
    assert response.status_code == 400
    assert response.json()["errors"] == {"q": ["Hae enintään 6 sanalla."]}
