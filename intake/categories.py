"""The default two-level category taxonomy (14 classes, 83 kinds) that real centers use, and the seeding
used by the data migration and by anyone who must restore it (tests that flush the database, demos).
Seeding only creates what is missing: an admin's renames and retirements are never undone."""

from django.apps import apps as global_apps

# (class code, class name, kinds in order: the kind's code is the class code + its position)
DEFAULT_CATEGORIES: list[tuple[str, str, list[str]]] = [
    (
        "01",
        "邻里纠纷",
        [
            "相邻通行纠纷",
            "相邻采光通风纠纷",
            "生活噪音纠纷",
            "漏水渗水纠纷",
            "占用公共空间纠纷",
            "饲养宠物纠纷",
            "其他邻里纠纷",
        ],
    ),
    (
        "02",
        "婚姻家庭纠纷",
        [
            "婚恋纠纷",
            "离婚纠纷",
            "赡养纠纷",
            "抚养纠纷",
            "继承纠纷",
            "家庭暴力",
            "分家析产纠纷",
            "其他婚姻家庭纠纷",
        ],
    ),
    (
        "03",
        "土地宅基地纠纷",
        [
            "宅基地纠纷",
            "土地承包经营权纠纷",
            "土地流转纠纷",
            "山林权属纠纷",
            "集体经济组织成员权益纠纷",
            "其他土地纠纷",
        ],
    ),
    (
        "04",
        "物业服务纠纷",
        [
            "物业费纠纷",
            "物业服务质量纠纷",
            "停车管理纠纷",
            "公共维修资金纠纷",
            "业主委员会纠纷",
            "供暖纠纷",
            "其他物业纠纷",
        ],
    ),
    (
        "05",
        "劳动争议/欠薪",
        [
            "拖欠工资",
            "农民工欠薪",
            "劳动合同纠纷",
            "社会保险纠纷",
            "工伤待遇纠纷",
            "经济补偿金纠纷",
            "其他劳动争议",
        ],
    ),
    (
        "06",
        "建设工程/房屋交付纠纷",
        [
            "工程款纠纷",
            "房屋延期交付",
            "房屋质量纠纷",
            "不动产办证纠纷",
            "商品房买卖纠纷",
            "其他建设工程纠纷",
        ],
    ),
    (
        "07",
        "征地拆迁纠纷",
        [
            "征地补偿纠纷",
            "房屋征收补偿纠纷",
            "安置房纠纷",
            "违建拆除纠纷",
            "其他征地拆迁纠纷",
        ],
    ),
    (
        "08",
        "交通事故纠纷",
        [
            "机动车之间事故",
            "机动车与非机动车、行人事故",
            "非机动车之间事故",
            "交通事故保险理赔纠纷",
            "其他交通事故纠纷",
        ],
    ),
    (
        "09",
        "医疗纠纷",
        [
            "医疗损害赔偿纠纷",
            "医疗费用纠纷",
            "医疗服务纠纷",
            "其他医疗纠纷",
        ],
    ),
    (
        "10",
        "消费纠纷",
        [
            "商品质量纠纷",
            "预付卡消费纠纷",
            "服务合同纠纷",
            "网络购物纠纷",
            "餐饮消费纠纷",
            "其他消费纠纷",
        ],
    ),
    (
        "11",
        "合同债务纠纷",
        [
            "民间借贷纠纷",
            "买卖合同纠纷",
            "房屋租赁纠纷",
            "承揽合同纠纷",
            "合伙纠纷",
            "其他合同纠纷",
        ],
    ),
    (
        "12",
        "环境污染/噪音纠纷",
        [
            "噪声污染",
            "油烟异味污染",
            "水污染",
            "固体废物污染",
            "施工扰民",
            "其他环境纠纷",
        ],
    ),
    (
        "13",
        "投资理财/非法集资",
        [
            "非法集资",
            "理财产品纠纷",
            "以养老为名的投资诈骗",
            "网络借贷纠纷",
            "其他投资理财纠纷",
        ],
    ),
    (
        "14",
        "其他纠纷",
        [
            "人身损害赔偿纠纷",
            "校园纠纷",
            "涉企纠纷",
            "行政争议",
            "其他",
        ],
    ),
]


def categories_seed(*, apps=global_apps) -> int:
    """Creates the missing default categories; returns how many were created. `apps` is the migration
    state's registry inside a migration."""
    category_model = apps.get_model("intake", "Category")
    created = 0
    for class_order, (class_code, class_name, kinds) in enumerate(DEFAULT_CATEGORIES, start=1):
        parent, made = category_model.objects.get_or_create(
            code=class_code, defaults={"name": class_name, "sort_order": class_order}
        )
        created += made
        for kind_order, kind_name in enumerate(kinds, start=1):
            _kind, made = category_model.objects.get_or_create(
                code=f"{class_code}{kind_order:02d}",
                defaults={"name": kind_name, "parent": parent, "sort_order": kind_order},
            )
            created += made
    return created
