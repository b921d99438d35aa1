"""Hot topics: the suggested clusters counted exactly on built data (cases, repeats), and a cluster
promoted to a topic with its cases linked in one statement."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from devdata.factories import as_recorded, just_received, register_case
from petitions.models import Category, Closure, Region
from petitions.services import lifecycle
from screening import selectors, services
from screening.errors import ScreeningError
from screening.models import Topic, TopicCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster(clerk, supervisor):
    """In 城乡建设's first child × one county, this week: 5 cases (2 of them repeats), and 1 void one;
    around it: one a month ago, one in another region, one in another category."""
    category = Category.objects.filter(parent__isnull=False).order_by("code").first()
    other_category = Category.objects.filter(parent__isnull=False).exclude(pk=category.pk).order_by("code").first()
    region, other_region = Region.objects.filter(level__gte=Region.Level.COUNTY).order_by("code")[:2]
    first = register_case(clerk=clerk, category=category, region=region)
    inside = [first]
    inside.append(register_case(clerk=clerk, category=category, region=region, petitioners=[as_recorded(first)]))
    inside.append(register_case(clerk=clerk, category=category, region=region, petitioners=[as_recorded(first)]))
    inside += [register_case(clerk=clerk, category=category, region=region) for _ in range(2)]
    void = register_case(clerk=clerk, category=category, region=region)
    lifecycle.case_void(case_id=void.pk, actor=supervisor, reason="重复登记")
    register_case(clerk=clerk, category=category, region=region, received_at=just_received() - timedelta(days=40))
    register_case(clerk=clerk, category=category, region=other_region)
    register_case(clerk=clerk, category=other_category, region=region)
    today = timezone.localdate()
    return {"category": category, "region": region, "start": today - timedelta(days=6), "end": today, "cases": inside}


def _promote(cluster: dict, actor, department, title: str) -> Topic:
    return services.topic_promote(
        actor=actor,
        category=cluster["category"],
        region=cluster["region"],
        start=cluster["start"],
        end=cluster["end"],
        department=department,
        title=title,
    )


def test_the_clusters_count_cases_and_repeats_exactly(cluster):
    found = selectors.clusters(cluster["start"], cluster["end"], min_cases=2)
    assert [(c.category, c.region, c.cases, c.repeats, c.topic) for c in found] == [
        (cluster["category"], cluster["region"], 5, 2, None)
    ]
    assert found[0].repeat_rate == pytest.approx(0.4)
    assert selectors.clusters(cluster["start"], cluster["end"], min_cases=6) == []


def test_a_promoted_cluster_links_its_cases_in_one_statement(cluster, supervisor, department):
    with CaptureQueriesContext(connection) as queries:
        topic = _promote(cluster, supervisor, department, "某区住房问题")
    inserts = [
        query["sql"] for query in queries if "INSERT INTO" in query["sql"] and "screening_topiccase" in query["sql"]
    ]
    assert len(inserts) == 1
    assert (topic.case_count, topic.repeat_count) == (5, 2)
    assert set(TopicCase.objects.filter(topic=topic).values_list("case_id", flat=True)) == {
        case.pk for case in cluster["cases"]
    }
    assert selectors.clusters(cluster["start"], cluster["end"], min_cases=2)[0].topic == topic
    with pytest.raises(ScreeningError):  # once per cluster
        _promote(cluster, supervisor, department, "again")
    assert Topic.objects.count() == 1


def test_only_the_office_promotes_and_bad_periods_change_nothing(client, cluster, supervisor, handler, department):
    with pytest.raises(ScreeningError):
        _promote(cluster, handler, department, "x")
    client.force_login(supervisor)
    form = {
        "category": cluster["category"].pk,
        "region": cluster["region"].pk,
        "start": cluster["end"].isoformat(),
        "end": cluster["start"].isoformat(),  # backwards
        "department": department.pk,
        "title": "某区住房问题",
    }
    response = client.post(reverse("screening:topic_promote"), form)
    assert response.status_code == 200 and not Topic.objects.exists()
    form |= {"start": "2026-02-30", "end": "2026-13-01"}
    assert client.post(reverse("screening:topic_promote"), form).status_code == 200
    response = client.get(reverse("screening:clusters"), {"start": "junk", "end": "2026-01-01", "min_cases": "-1"})
    assert response.status_code == 200 and response.context["clusters"] is None
    too_long = {"start": (cluster["end"] - timedelta(days=100)).isoformat(), "end": cluster["end"].isoformat()}
    response = client.get(reverse("screening:clusters"), {**too_long, "min_cases": "2"})
    assert response.context["clusters"] is None and response.context["form"].errors["end"]
    assert not Topic.objects.exists()
    client.force_login(handler)
    assert client.get(reverse("screening:clusters")).status_code == 403


def test_the_topic_records_its_recommendation_and_whether_it_was_adopted(client, cluster, supervisor, department):
    topic = _promote(cluster, supervisor, department, "某区住房问题")
    client.force_login(supervisor)
    url = reverse("screening:topic", kwargs={"topic_id": topic.pk})
    data = {"version": 1, "plan": "专项治理", "recommendation": "完善物业管理条例", "adopted": "yes"}
    assert client.post(url, data).status_code == 302
    topic.refresh_from_db()
    assert (topic.recommendation, topic.adopted, topic.version) == ("完善物业管理条例", True, 2)
    client.post(url, {**data, "adopted": "no"})  # the form of version 1 again: stale, refused
    topic.refresh_from_db()
    assert topic.adopted is True
    assert not TopicCase.objects.filter(topic=topic, case__closure=Closure.VOID).exists()
