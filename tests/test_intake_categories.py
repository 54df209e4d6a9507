"""The seeded taxonomy and the admins' category pages (retiring keeps old cases valid)."""

from intake.categories import DEFAULT_CATEGORIES, categories_seed
from intake.models import Category
from intake.tests.factories import register


def test_the_migration_seeds_14_classes_and_83_kinds(db):
    classes = Category.objects.filter(parent__isnull=True)
    kinds = Category.objects.filter(parent__isnull=False)

    assert classes.count() == 14 and kinds.count() == 83
    assert [c.name for c in classes.order_by("sort_order")][:3] == [
        "邻里纠纷",
        "婚姻家庭纠纷",
        "土地宅基地纠纷",
    ]
    assert Category.objects.get(code="0501").name == "拖欠工资"
    assert Category.objects.get(code="0501").parent.code == "05"
    assert all(k.code.startswith(k.parent.code) and len(k.code) == 4 for k in kinds.select_related("parent"))


def test_seeding_again_creates_nothing_and_keeps_admin_changes(db):
    Category.objects.filter(code="0101").update(name="通行纠纷", is_active=False)

    assert categories_seed() == 0
    assert Category.objects.get(code="0101").name == "通行纠纷"
    assert not Category.objects.get(code="0101").is_active
    assert len(DEFAULT_CATEGORIES) == 14


def test_admins_retire_a_kind_in_the_admin(client, admin_user, clerk, center):
    old = register(actor=clerk, center=center, category="0104")
    kind = Category.objects.get(code="0104")
    client.force_login(admin_user)

    response = client.post(
        "/admin/intake/category/", {"action": "retire", "_selected_action": [kind.pk]}, follow=True
    )

    assert response.status_code == 200 and "已停用 1 个类别" in response.content.decode()
    kind.refresh_from_db()
    assert not kind.is_active
    old.refresh_from_db()
    assert old.category == kind
    assert client.get(f"/admin/intake/category/{kind.pk}/delete/").status_code == 403


def test_admins_add_a_kind_under_a_class(client, admin_user):
    parent = Category.objects.get(code="14")
    client.force_login(admin_user)

    response = client.post(
        "/admin/intake/category/add/",
        {
            "code": "1406",
            "name": "网络直播纠纷",
            "parent": parent.pk,
            "sort_order": 6,
            "is_active": "on",
            "kinds-TOTAL_FORMS": "0",
            "kinds-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Category.objects.get(code="1406").parent == parent


def test_clerks_cannot_open_the_category_admin(client, clerk):
    client.force_login(clerk)

    assert client.get("/admin/intake/category/").status_code in (302, 403)
