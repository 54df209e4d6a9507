"""Demo cases for `make run`: a few hundred realistic registrations over the last ~14 months at the demo
centers of 南关区 (the county, 南岭街道, grid reports from 华阳社区) and 兰州城关区, through `case_register`
so numbers, parties and downstream hooks are real. Idempotent: each demo case carries an idempotency key
of its clerk, so a second run finds them all and creates nothing."""

import datetime as dt
import random
import zlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from grid.models import Region
from intake.categories import categories_seed
from intake.choices import Channel, MatterType, PartyKind, PartyRole
from intake.models import IdempotencyRecord
from intake.selectors import intake_center_for_user
from intake.services import case_add_repeat_visit, case_register_once
from intake.validators import credit_code_check_char, resident_id_check_char

DEMO_CASES = 360
KEY_PREFIX = "demo-case-"
HISTORY_DAYS = 425  # about fourteen months

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = [
    "桂兰",
    "秀英",
    "建国",
    "志强",
    "丽华",
    "文博",
    "淑芬",
    "海燕",
    "国庆",
    "晓东",
    "春梅",
    "玉兰",
    "德明",
    "红霞",
    "永刚",
    "立新",
    "雪梅",
    "俊杰",
    "子涵",
    "浩然",
    "欣怡",
    "宇航",
    "佳琪",
    "明轩",
    "金凤",
    "长青",
    "振华",
    "凤英",
    "家豪",
    "晨曦",
    "亚楠",
    "伟",
    "静",
    "敏",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "超",
    "霞",
    "刚",
    "平",
]
COMPANIES = [
    "长春市南关区惠民物业服务有限公司",
    "吉林省宏达建筑工程有限公司",
    "长春市恒安房地产开发有限公司",
    "长春市南岭热力有限公司",
    "兰州城关万家惠超市有限公司",
    "甘肃金城建设工程有限公司",
    "兰州市安居物业管理有限公司",
    "长春市鑫源餐饮管理有限公司",
    "吉林省诚信汽车销售服务有限公司",
]

# (kind code, summary, description) per class: what residents actually bring to a center.
MATTERS: dict[str, list[tuple[str, str, str]]] = {
    "01": [
        (
            "0104",
            "楼上漏水致楼下天花板受损",
            "申请人称楼上住户卫生间防水层破损，漏水两个多月，天花板霉变脱落，多次上门协商未果。",
        ),
        (
            "0101",
            "邻居在楼道堆放杂物影响通行",
            "楼道被邻居长期堆放旧家具和纸箱，老人上下楼困难，存在消防隐患，双方争执。",
        ),
        ("0103", "楼上夜间噪音扰民", "楼上住户夜间经常拖动桌椅、跳绳至深夜，影响申请人家中老人和学生休息。"),
        (
            "0106",
            "饲养犬只伤人引发纠纷",
            "申请人在小区内被邻居未拴绳的犬只咬伤，要求赔偿疫苗费和误工费，对方不认可金额。",
        ),
        ("0105", "私占公共绿地种菜", "邻居在楼前公共绿地私自开荒种菜并围挡，其他居民不满，多次发生口角。"),
    ],
    "02": [
        (
            "0203",
            "子女不履行赡养义务",
            "申请人年过七旬，三个子女互相推诿，均不支付赡养费，要求调解明确各自赡养责任。",
        ),
        ("0202", "离婚后子女探视纠纷", "双方协议离婚后，女方阻挠男方按约定探视孩子，男方多次来访要求解决。"),
        ("0205", "父母遗留房产继承纠纷", "兄妹四人因父母遗留的一套住房如何分割产生争议，已多年不相往来。"),
        (
            "0206",
            "家庭矛盾激化存在暴力倾向",
            "申请人反映丈夫酒后多次打骂，要求妇联和派出所介入，防止矛盾升级。",
        ),
    ],
    "03": [
        ("0301", "宅基地边界争议", "两户村民因宅基地界址不清，一方翻建院墙时越界约半米，双方发生冲突。"),
        ("0302", "土地承包经营权纠纷", "申请人外出务工期间承包地被村组调整给他人，返乡后要求返还。"),
        ("0303", "土地流转租金拖欠", "合作社承包村民土地后拖欠两年流转费，涉及二十余户村民。"),
    ],
    "04": [
        ("0406", "供暖温度不达标", "入冬以来室温长期低于18度，业主多次向热力公司反映未果，拒绝缴纳采暖费。"),
        ("0401", "物业费收缴纠纷", "业主以物业服务不到位为由拒缴物业费，物业公司停止为其办理门禁卡。"),
        ("0403", "小区停车位分配争议", "物业将地面公共车位出租给外来车辆，业主认为侵犯共有权益。"),
        ("0402", "电梯频繁故障维修不及时", "小区两部电梯频繁停运，物业称维修资金不足，高层老人出行困难。"),
    ],
    "05": [
        (
            "0502",
            "农民工工资被拖欠",
            "申请人等在工地务工半年，包工头以总包方未付款为由拖欠工资，人均两万余元。",
        ),
        ("0501", "餐馆拖欠员工工资", "申请人在一家餐馆工作四个月，离职后老板拖欠最后两个月工资。"),
        ("0505", "工伤赔偿争议", "申请人在工厂作业时手部受伤，单位未缴纳工伤保险，双方对赔偿金额分歧较大。"),
        (
            "0503",
            "未签订劳动合同被辞退",
            "申请人工作一年多未签劳动合同，被口头辞退，要求支付双倍工资和经济补偿。",
        ),
    ],
    "06": [
        ("0602", "商品房逾期交付", "开发商承诺的交房日期已过半年，楼盘仍未竣工验收，购房业主集体来访。"),
        ("0604", "回迁楼多年办不下房产证", "小区回迁十年仍未办理不动产权证，影响子女入学和房屋交易。"),
        ("0601", "装修工程款结算纠纷", "装修公司称增项未付款，业主认为质量不合格拒付尾款。"),
    ],
    "07": [
        ("0702", "棚改房屋征收补偿争议", "申请人认为房屋评估价格偏低，对征收补偿方案不满，拒绝签约。"),
        ("0703", "安置房面积与协议不符", "回迁安置房实测面积比协议少约8平方米，要求补差或调换。"),
    ],
    "08": [
        (
            "0802",
            "电动车与轿车碰撞赔偿",
            "申请人骑电动车与轿车发生碰撞，交警认定同等责任，双方就医疗费分担协商不成。",
        ),
        ("0801", "车辆追尾维修费争议", "两车追尾后，被追尾方要求赔偿维修费和误工费，金额分歧较大。"),
    ],
    "09": [
        (
            "0901",
            "手术后并发症医疗纠纷",
            "患者家属认为医院术后观察不到位导致感染，要求赔偿，医院不认可存在过错。",
        ),
        ("0902", "诊所收费争议", "患者在私人诊所输液后被收取高额费用，认为存在乱收费。"),
    ],
    "10": [
        ("1002", "健身房关门预付卡无法退款", "小区附近健身房突然停业，百余名会员预付卡余额无法退还。"),
        ("1001", "新购冰箱质量问题退换纠纷", "购买不到一个月的冰箱不制冷，商家只同意维修不同意退换。"),
        ("1004", "网购商品与描述不符", "网购家具到货后与宣传图片严重不符，卖家拒绝退货。"),
    ],
    "11": [
        (
            "1101",
            "民间借贷到期不还",
            "申请人借给朋友八万元用于周转，约定一年归还，到期后对方以各种理由拖延。",
        ),
        ("1103", "房屋租赁押金退还纠纷", "租期届满后房东以墙面损坏为由扣留全部押金，租客不认可。"),
        ("1102", "货款拖欠纠纷", "个体商户向超市供货后，超市拖欠货款三个月。"),
    ],
    "12": [
        ("1205", "工地夜间施工扰民", "小区旁工地连续多晚施工至凌晨，居民多次投诉无果。"),
        ("1202", "饭店油烟直排居民楼", "临街饭店排烟管道直对住宅窗户，油烟和噪音影响居民生活。"),
        ("1201", "广场舞音响噪声扰民", "广场舞音响音量过大、时间过长，周边居民与跳舞人员多次争吵。"),
    ],
    "13": [
        (
            "1303",
            "以养老项目为名吸收老人资金",
            "多名老人反映投资所谓养老公寓项目，承诺高额返利，现公司人去楼空。",
        ),
        ("1302", "理财产品到期无法兑付", "申请人通过熟人介绍购买理财产品，到期后无法兑付本息。"),
    ],
    "14": [
        ("1401", "楼体外墙脱落砸伤行人", "老旧楼体外墙瓷砖脱落砸伤路人，责任主体不明，伤者家属来访。"),
        ("1402", "学生校园冲突受伤", "两名学生在校内发生冲突一人受伤，双方家长对医疗费承担有争议。"),
        ("1405", "其他需协调事项", "群众反映的其他需多部门协调的事项。"),
    ],
}
# How often each class comes in (weights), with heating disputes in the northern winter.
CLASS_WEIGHTS = {
    "01": 20, "02": 12, "03": 4, "04": 13, "05": 12, "06": 5, "07": 3,
    "08": 6, "09": 3, "10": 6, "11": 8, "12": 5, "13": 2, "14": 3,
}  # fmt: skip
CHANNEL_WEIGHTS = {
    Channel.WALK_IN: 34, Channel.PHONE: 14, Channel.HOTLINE_12345: 16, Channel.LETTER: 2, Channel.ONLINE: 6,
    Channel.HIGHER_LEVEL: 3, Channel.COURT_REFERRAL: 4, Channel.POLICE_REFERRAL: 7,
    Channel.PETITION_REFERRAL: 3, Channel.SCREENING: 3,
}  # fmt: skip


@dataclass(frozen=True)
class Desk:
    username: str
    share: int
    channels: dict
    within: str  # region code whose descendants (villages/communities) the matters happen in


DESKS = [
    Desk("clerk", 50, CHANNEL_WEIGHTS, "220102000000"),
    Desk("clerk_nanling", 14, CHANNEL_WEIGHTS, "220102001000"),
    Desk("grid", 12, {Channel.GRID_REPORT: 1}, "220102001001"),
    Desk("clerk_lanzhou", 24, CHANNEL_WEIGHTS, "620102000000"),
]


def load_demo(count: int = DEMO_CASES) -> str:
    """Registers up to `count` demo cases (none that already exist); returns a one-line report."""
    categories_seed()
    if IdempotencyRecord.objects.filter(key__startswith=KEY_PREFIX).count() >= count:
        return _("intake: %(count)s 件演示案件已存在") % {"count": count}
    rng = random.Random(2026)
    desks = _available_desks()
    if not desks:
        return _("intake: 未找到演示窗口人员，跳过")
    people = _residents(rng, 420)
    now = timezone.now()
    plans = sorted((_plan(rng, i, desks, people, now) for i in range(count)), key=lambda p: p["received_at"])
    created = visits = 0
    for plan in plans:
        actor, repeats, key = plan.pop("actor"), plan.pop("repeats"), plan.pop("key")
        case, made = case_register_once(actor=actor, key=key, **plan)
        if not made:
            continue
        created += 1
        for offset in repeats:
            when = plan["received_at"] + offset
            if when >= now or not actor.has_perm("intake.add_repeatvisit"):
                continue
            try:
                case_add_repeat_visit(
                    actor=actor, case=case, channel=rng.choice([Channel.WALK_IN, Channel.PHONE]),
                    note="当事人再次来访询问办理进度", received_at=when,
                )  # fmt: skip
            except (
                ValidationError
            ):  # closed meanwhile by a downstream demo step: a new visit would be a new case
                continue
            visits += 1
    return (
        f"intake: 新建演示案件 {created} 件、重复来访 {visits} 次 / {created} cases, {visits} repeat visits"
    )


def _available_desks() -> list[tuple[Desk, object, list[Region]]]:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[d.username for d in DESKS])}
    desks = []
    for desk in DESKS:
        user = users.get(desk.username)
        root = Region.objects.filter(code=desk.within).first()
        if user is None or root is None or intake_center_for_user(user=user) is None:
            continue
        places = list(root.get_descendants(include_self=True).filter(level__gte=4)) or [root]
        desks.append((desk, user, places))
    return desks


def _plan(rng: random.Random, index: int, desks, people: dict[str, list[dict]], now: dt.datetime) -> dict:
    desk, actor, places = rng.choices(desks, weights=[d[0].share for d in desks])[0]
    received_at = _moment(rng, now)
    class_code = _class_for(rng, received_at)
    kind, summary, description = rng.choice(MATTERS[class_code])
    channel = rng.choices(list(desk.channels), weights=list(desk.channels.values()))[0]
    matter_type = rng.choices(
        [MatterType.DISPUTE, MatterType.PETITION, MatterType.SERVICE, MatterType.RISK], weights=[82, 6, 7, 5]
    )[0]
    if channel == Channel.GRID_REPORT:
        matter_type = rng.choice([MatterType.DISPUTE, MatterType.RISK, MatterType.RISK])
    region = rng.choice(places)
    neighbours = people[region.code[:2]]  # residents of the same city
    parties = [_as_party(rng.choice(neighbours), PartyRole.APPLICANT)]
    if matter_type == MatterType.DISPUTE:
        if class_code in ("04", "05", "06", "10") and rng.random() < 0.7:
            company = rng.choice(COMPANIES)
            parties.append(_organisation(company))
        else:
            respondent = rng.choice(neighbours)
            parties.append(_as_party(respondent, PartyRole.RESPONDENT, with_id=rng.random() < 0.4))
    if channel == Channel.GRID_REPORT and matter_type == MatterType.RISK:
        parties = []
    if len({(p["name"], p["phone"]) for p in parties}) < len(parties):  # the same resident drawn twice
        parties = parties[:1]
    involved = 1 if class_code not in ("05", "06", "07", "13") else rng.choice([3, 8, 12, 26, 40])
    with_money = class_code in ("05", "06", "08", "10", "11")
    amount = rng.choice([None, 800, 2600, 5000, 12000, 36000, 80000]) if with_money else None
    repeats = [dt.timedelta(days=d) for d in sorted(rng.sample(range(3, 40), rng.choice([1, 1, 2, 3])))]
    return {
        "actor": actor,
        "key": f"{KEY_PREFIX}{index:04d}",
        "center": intake_center_for_user(user=actor),
        "window": getattr(actor.staff_profile, "window", None),
        "channel": channel,
        "matter_type": matter_type,
        "category": kind,
        "region": region,
        "grid_cell": actor.staff_profile.grid_cell if channel == Channel.GRID_REPORT else None,
        "summary": summary,
        "description": description,
        "parties": parties,
        "received_at": received_at,
        "involved_people": max(involved, len(parties) or 1),
        "amount": amount,
        "repeats": repeats if rng.random() < 0.09 else [],
    }


def _moment(rng: random.Random, now: dt.datetime) -> dt.datetime:
    """A working-hours moment in the last ~14 months, weekdays far likelier; never in the future. A few
    fall earlier today, so "today's registrations" has something to show."""
    opening = timezone.localtime(now).replace(hour=8, minute=0, second=0, microsecond=0)
    if rng.random() < 0.02 and now - opening > dt.timedelta(minutes=30):
        return opening + (now - opening - dt.timedelta(minutes=10)) * rng.random()
    while True:
        day = timezone.localdate(now) - dt.timedelta(days=rng.randrange(0, HISTORY_DAYS))
        if day.weekday() >= 5 and rng.random() < 0.8:
            continue
        local = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randrange(60)))
        moment = timezone.make_aware(local)
        if moment < now - dt.timedelta(minutes=5):
            return moment


def _class_for(rng: random.Random, when: dt.datetime) -> str:
    weights = dict(CLASS_WEIGHTS)
    if timezone.localtime(when).month in (11, 12, 1, 2, 3):
        weights["04"] += 10  # heating season
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _residents(rng: random.Random, count: int) -> dict[str, list[dict]]:
    """Residents of 长春 ("22") and 兰州 ("62"), each with one ID number issued where they live."""
    people: dict[str, list[dict]] = {"22": [], "62": []}
    ids, phones = set(), set()
    while sum(map(len, people.values())) < count:
        province = "22" if rng.random() < 0.7 else "62"
        birth = dt.date(1948, 1, 1) + dt.timedelta(days=rng.randrange(0, 55 * 365))
        first17 = f"{province}0102{birth:%Y%m%d}{rng.randrange(1000):03d}"
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        if first17 in ids or phone in phones:
            continue
        ids.add(first17)
        phones.add(phone)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        people[province].append(
            {"name": name, "id_number": first17 + resident_id_check_char(first17), "phone": phone}
        )
    return people


def _as_party(person: dict, role: str, *, with_id: bool = True) -> dict:
    id_number = person["id_number"] if with_id else ""
    return {
        "kind": PartyKind.PERSON,
        "name": person["name"],
        "id_number": id_number,
        "phone": person["phone"],
        "address": "",
        "role": role,
    }


def _organisation(name: str) -> dict:
    return {
        "kind": PartyKind.ORGANISATION,
        "name": name,
        "id_number": _credit_code(name),
        "phone": "",
        "address": "",
        "role": PartyRole.RESPONDENT,
    }


def _credit_code(name: str) -> str:
    digits = f"{zlib.crc32(name.encode()):010d}"  # the same company keeps its code from run to run
    body = f"91{'22' if '长春' in name or '吉林' in name else '62'}0102MA{digits[:7]}"
    return body + credit_code_check_char(body)
