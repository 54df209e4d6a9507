import gzip
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from grid.models import Region
from grid.region_import import RegionImportError
from grid.services import regions_import

SLICE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "regions_slice.csv"
HEADER = "code,name,level,parent_code,urban_rural_code\n"


def write_csv(tmp_path: Path, body: str, name: str = "regions.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def mptt_fields() -> list[tuple]:
    # tree_id is left out: mptt's rebuild numbers trees 1..n, the import uses the province code.
    return list(Region.objects.order_by("code").values_list("code", "lft", "rght", "depth", "parent_id"))


@pytest.mark.django_db
def test_import_builds_a_valid_tree_identical_to_mptts_own_rebuild():
    # given / when
    result = regions_import(path=SLICE)
    imported = mptt_fields()
    tree_ids = set(Region.objects.filter(code__startswith="62").values_list("tree_id", flat=True))
    Region.objects.rebuild()

    # then
    assert result.created == 96
    assert imported == mptt_fields()
    assert tree_ids == {62}
    nanguan = Region.objects.get(code="220102000000")
    assert nanguan.name == "南关区" and nanguan.level == 3
    assert nanguan.get_descendant_count() == 14 + 70
    assert [r.name for r in Region.objects.get(code="220102001001").get_ancestors()] == [
        "吉林省",
        "长春市",
        "南关区",
        "南岭街道",
    ]


@pytest.mark.django_db
def test_import_twice_changes_nothing():
    regions_import(path=SLICE)
    before = mptt_fields()

    result = regions_import(path=SLICE)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 96)
    assert mptt_fields() == before


@pytest.mark.django_db
def test_renamed_region_is_updated_not_duplicated(tmp_path):
    regions_import(path=SLICE)
    renamed = SLICE.read_text(encoding="utf-8").replace("南岭街道", "南岭新街道")

    result = regions_import(path=write_csv(tmp_path, renamed.split("\n", 1)[1]))

    assert (result.created, result.updated) == (0, 1)
    assert Region.objects.get(code="220102001000").name == "南岭新街道"
    assert Region.objects.count() == 96


@pytest.mark.django_db
def test_importing_a_second_subtree_keeps_the_tree_consistent(tmp_path):
    lines = SLICE.read_text(encoding="utf-8").splitlines()[1:]
    first = [line for line in lines if not line.startswith("220102002")]
    regions_import(path=write_csv(tmp_path, "\n".join(first) + "\n", "first.csv"))

    regions_import(path=SLICE)
    imported = mptt_fields()
    Region.objects.rebuild()

    assert imported == mptt_fields()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("22010200100X,坏代码,5,220102001000,", "12"),
        ("220102001099,无上级,5,220102009000,", "上级"),
        ("220102001098,层级错,4,220102001000,", "层级"),
        ("220102001097,,5,220102001000,", "名称"),
        ("220103001001,跨区,5,220102001000,", "上级之下"),
    ],
)
@pytest.mark.django_db
def test_a_bad_row_is_named_and_nothing_is_imported(tmp_path, row, message):
    body = SLICE.read_text(encoding="utf-8").split("\n", 1)[1] + row + "\n"

    with pytest.raises(RegionImportError) as error:
        regions_import(path=write_csv(tmp_path, body))

    assert "第 98 行" in str(error.value) and message in str(error.value)
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_command_reads_gzip_and_filters_by_province(tmp_path):
    path = tmp_path / "regions.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(SLICE.read_text(encoding="utf-8"))

    call_command("import_regions", str(path), "--province", "62")

    assert set(Region.objects.values_list("code", flat=True).filter(level=1)) == {"620000000000"}
    assert Region.objects.filter(code__startswith="22").count() == 0


@pytest.mark.django_db
def test_within_loads_a_subtree_with_its_ancestors():
    call_command("import_regions", str(SLICE), "--within", "220102001000")

    codes = set(Region.objects.values_list("code", flat=True))
    assert {"220000000000", "220100000000", "220102000000", "220102001000", "220102001001"} <= codes
    assert "220102002000" not in codes


@pytest.mark.django_db
def test_command_reports_bad_rows_clearly(tmp_path):
    path = write_csv(tmp_path, "9,省,1,,\n")

    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_regions", str(path))
