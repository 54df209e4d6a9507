"""`open_centers`: a subtree's centers at chosen levels, or a file's; checked first, idempotent."""

import pytest
from django.core.management import CommandError, call_command

from grid.models import Center, Region, StaffProfile

pytestmark = pytest.mark.django_db
NANGUAN, NANLING, HUAYANG = "220102000000", "220102001000", "220102001001"


def open_centers(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("open_centers", *args, stdout=out)
    return out.getvalue()


def subtree_codes(code: str, *levels: int) -> set[str]:
    root = Region.objects.get(code=code)
    return set(
        root.get_descendants(include_self=True).filter(level__in=levels).values_list("code", flat=True)
    )


def test_opens_every_center_of_a_subtree_at_the_chosen_levels_once(regions):
    # when
    first = open_centers("--within", NANGUAN, "--levels", "county,township,village")
    second = open_centers("--within", NANGUAN, "--levels", "county,township,village")

    # then the county, its townships and its villages each have one center, named after the region
    wanted = subtree_codes(NANGUAN, 3, 4, 5)
    assert set(Center.objects.values_list("code", flat=True)) == wanted
    assert Center.objects.get(code=HUAYANG).name == "华阳社区综治中心"
    assert f"新增 {len(wanted)}，更新 0，未变 0" in first
    assert f"新增 0，更新 0，未变 {len(wanted)}" in second


def test_levels_leave_the_other_tiers_alone(regions):
    open_centers("--within", NANGUAN, "--levels", "township")

    assert set(Center.objects.values_list("code", flat=True)) == subtree_codes(NANGUAN, 4)


def test_a_file_opens_its_centers_and_sets_their_details(regions, tmp_path):
    # given a center already open, and a file naming it and a new one
    open_centers("--within", NANGUAN, "--levels", "county")
    path = tmp_path / "centers.csv"
    path.write_text(
        "code,name,phone,address\n"
        f"{NANGUAN},长春市南关区社会治安综合治理中心,0431-88880000,长春市南关区人民大街1号\n"
        f"{NANLING},,0431-88881111,\n",
        encoding="utf-8",
    )

    # when
    out = open_centers("--file", str(path))

    # then
    county, township = Center.objects.get(code=NANGUAN), Center.objects.get(code=NANLING)
    assert (county.name, county.phone, county.address) == (
        "长春市南关区社会治安综合治理中心",
        "0431-88880000",
        "长春市南关区人民大街1号",
    )
    assert (township.name, township.phone) == ("南岭街道综治中心", "0431-88881111")
    assert "新增 1，更新 1，未变 0" in out


def test_a_bad_file_names_each_line_and_writes_nothing(regions, tmp_path):
    path = tmp_path / "centers.csv"
    path.write_text(
        "code,name,phone,address\n"
        f"{NANLING},南岭街道综治中心,,\n"
        "22010200100,短代码,,\n"
        f"{NANLING},重复,,\n"
        f"{HUAYANG},{'长' * 101},,\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as refused:
        open_centers("--file", str(path))

    message = str(refused.value)
    assert "未写入任何数据" in message
    assert "第 3 行" in message and "12位数字" in message
    assert "第 4 行" in message and "代码重复" in message
    assert "第 5 行" in message and "超过 100" in message
    assert not Center.objects.exists()


def test_codes_unknown_or_outside_the_subtree_are_refused(regions, tmp_path):
    path = tmp_path / "centers.csv"
    path.write_text(f"code\n999999999999\n{HUAYANG}\n620102000000\n", encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        open_centers("--file", str(path), "--within", NANLING)

    message = str(refused.value)
    assert "第 2 行" in message and "区划代码不存在" in message
    assert "第 4 行" in message
    assert "第 3 行" not in message
    assert not Center.objects.exists()


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--within", NANGUAN, "--levels", "hamlet"), "层级须为"),
        (("--levels", "village"), "--levels 需要 --within"),
        (("--within", "999999999999", "--levels", "village"), "区划代码不存在"),
        ((), "--within 和 --levels"),
    ],
)
def test_bad_arguments_say_what_is_wrong(regions, args, problem):
    with pytest.raises(CommandError, match=problem):
        open_centers(*args)


def test_create_staff_without_a_center_takes_their_regions(regions):
    # given centers opened by the command
    open_centers("--within", NANGUAN, "--levels", "county,township")

    # when
    call_command("create_staff", "li", "--region", NANLING, "--role", "clerk")
    call_command("create_staff", "zhao", "--region", HUAYANG, "--role", "grid_worker")

    # then the clerk works at the township's center; the village has none, so the grid worker has none
    assert StaffProfile.objects.get(user__username="li").center.code == NANLING
    assert StaffProfile.objects.get(user__username="zhao").center is None
