import pytest
from django.contrib.auth.models import AnonymousUser

from grid import selectors
from grid.models import Region
from tests.roles import make_staff


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("220000000000", 1 + 1 + 85),  # province: itself, 长春市, all of 南关区 in the slice
        ("220100000000", 1 + 85),
        ("220102000000", 85),  # 南关区: 14 townships and 70 communities
        ("220102001000", 1 + 3),  # 南岭街道 and its 3 communities
        ("220102001001", 1),
    ],
)
def test_subtree_query_at_every_level(regions, code, expected):
    region = regions[code]

    found = Region.objects.filter(selectors.subtree_q(region))

    assert found.count() == expected
    assert set(found.values_list("pk", flat=True)) == {
        r.pk for r in region.get_descendants(include_self=True)
    }


def test_jurisdiction_is_the_subtree_of_the_users_region(org, django_assert_num_queries):
    user = make_staff("t", "220102001000", "clerk")
    user = type(user).objects.select_related("staff_profile__region").get(pk=user.pk)

    with django_assert_num_queries(1):
        codes = set(selectors.region_list_for_user(user=user).values_list("code", flat=True))

    assert codes == {"220102001000", "220102001001", "220102001002", "220102001003"}


def test_region_in_jurisdiction(org):
    user = make_staff("t", "220102000000", "mediator")
    regions = org["regions"]

    assert selectors.region_in_jurisdiction(user=user, region=regions["220102001001"])
    assert not selectors.region_in_jurisdiction(user=user, region=regions["220100000000"])
    assert not selectors.region_in_jurisdiction(user=user, region=regions["620102001001"])


def test_anonymous_and_profileless_users_see_nothing(org, django_user_model):
    nobody = django_user_model.objects.create_user("nobody")

    assert not selectors.region_list_for_user(user=AnonymousUser()).exists()
    assert not selectors.region_list_for_user(user=nobody).exists()


def test_superuser_sees_everything(org, django_user_model):
    root = django_user_model.objects.create_superuser("root", "", "x")

    assert selectors.region_list_for_user(user=root).count() == Region.objects.count()


def test_region_search_by_name_and_code_within_jurisdiction(org):
    user = make_staff("t", "220102000000", "clerk")

    assert [r.code for r in selectors.region_search(user=user, term="华阳")] == ["220102001001"]
    assert [r.code for r in selectors.region_search(user=user, term="2201020010")][:1] == ["220102001000"]
    assert not selectors.region_search(user=user, term="酒泉路").exists()
