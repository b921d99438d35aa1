"""Reference data every office starts with: the published top-level content categories, and a demo
region tree and departments (an office replaces these with its own in the admin).

`load_reference_data` is idempotent: rows are matched by code and never duplicated.
"""

from collections.abc import Callable

from django.db import transaction

from petitions.clocks.deadlines import DEFAULT_RULES
from petitions.models import DEFAULT_NOTICE_TEXTS, Category, DeadlineRule, Department, NoticeText, Region

# (code, name, [(sub code, sub name)]) — the top level is the one used in published statistics.
CATEGORIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    (
        "010000",
        "城乡建设",
        [("010100", "住房保障"), ("010200", "征地拆迁"), ("010300", "物业管理"), ("010400", "城市管理")],
    ),
    ("020000", "农村农业", [("020100", "土地承包"), ("020200", "惠农补贴"), ("020300", "村务管理")]),
    ("030000", "劳动和社会保障", [("030100", "拖欠工资"), ("030200", "社会保险"), ("030300", "劳动关系")]),
    ("040000", "教育文体", [("040100", "义务教育"), ("040200", "学前教育"), ("040300", "文化体育")]),
    ("050000", "经济管理", [("050100", "市场监管"), ("050200", "消费维权"), ("050300", "企业改制")]),
    ("060000", "卫生计生", [("060100", "医疗纠纷"), ("060200", "医疗保障"), ("060300", "公共卫生")]),
    ("070000", "组织人事", [("070100", "干部作风"), ("070200", "工资福利")]),
    ("080000", "党务政务", [("080100", "政务服务"), ("080200", "政务公开")]),
    ("090000", "纪检监察", [("090100", "违纪违法"), ("090200", "作风问题")]),
    ("100000", "交通运输", [("100100", "道路建设"), ("100200", "公共交通")]),
    ("110000", "政法", [("110100", "治安管理"), ("110200", "涉法涉诉")]),
    ("120000", "科技与信息", [("120100", "通信网络")]),
    ("990000", "其他", []),
]

# (code, name, top-level category codes it is competent for; the first makes it the default)
DEPARTMENTS: list[tuple[str, str, list[str]]] = [
    ("ZJJ", "市住房和城乡建设局", ["010000"]),
    ("NYJ", "市农业农村局", ["020000"]),
    ("RSJ", "市人力资源和社会保障局", ["030000", "070000"]),
    ("JYJ", "市教育局", ["040000"]),
    ("SJJ", "市市场监督管理局", ["050000"]),
    ("WJW", "市卫生健康委员会", ["060000"]),
    ("ZZB", "市委组织部", []),
    ("ZFB", "市人民政府办公室", ["080000", "990000"]),
    ("JWJ", "市纪委监委", ["090000"]),
    ("JTJ", "市交通运输局", ["100000"]),
    ("ZFW", "市委政法委员会", ["110000"]),
    ("GXJ", "市工业和信息化局", ["120000"]),
]

# A demo city with its districts and counties and a few townships each.
REGIONS: list[tuple[str, str, str | None, int]] = [
    ("990000", "示范省", None, Region.Level.PROVINCE),
    ("990100", "示范市", "990000", Region.Level.CITY),
    ("990102", "东城区", "990100", Region.Level.COUNTY),
    ("990103", "西城区", "990100", Region.Level.COUNTY),
    ("990121", "南湖县", "990100", Region.Level.COUNTY),
    ("990122", "北山县", "990100", Region.Level.COUNTY),
    ("990102001", "东华街道", "990102", Region.Level.TOWNSHIP),
    ("990102002", "安定门街道", "990102", Region.Level.TOWNSHIP),
    ("990103001", "西长安街道", "990103", Region.Level.TOWNSHIP),
    ("990103002", "金融街街道", "990103", Region.Level.TOWNSHIP),
    ("990121101", "湖滨镇", "990121", Region.Level.TOWNSHIP),
    ("990121102", "柳林镇", "990121", Region.Level.TOWNSHIP),
    ("990121201", "桃园乡", "990121", Region.Level.TOWNSHIP),
    ("990122101", "山口镇", "990122", Region.Level.TOWNSHIP),
    ("990122102", "青石镇", "990122", Region.Level.TOWNSHIP),
    ("990122201", "松岭乡", "990122", Region.Level.TOWNSHIP),
]


# Other apps add the defaults they own (e.g. escalation's ladder) in AppConfig.ready(): each loader
# creates what is missing and returns {name: how many rows it created}.
_loaders: list[Callable[[], dict[str, int]]] = []


def register_loader(loader: Callable[[], dict[str, int]]) -> None:
    if loader not in _loaders:
        _loaders.append(loader)


def load_deadline_rules() -> dict[str, int]:
    """The regulation's deadline rules (DESIGN.md "Deadlines"), for any clock that has no row."""
    created = 0
    for clock, (days, working, basis) in DEFAULT_RULES.items():
        created += DeadlineRule.objects.get_or_create(
            clock=clock, defaults={"days": days, "working_days": working, "legal_basis": basis}
        )[1]
    return {"deadline_rules": created}


def load_notice_texts() -> dict[str, int]:
    """The default text of each notice to petitioners, for any event that has no row."""
    created = 0
    for event, texts in DEFAULT_NOTICE_TEXTS.items():
        created += NoticeText.objects.get_or_create(event=event, defaults=texts)[1]
    return {"notice_texts": created}


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create what is missing; leave what an admin changed alone. Returns counts created."""
    created = load_deadline_rules() | load_notice_texts()
    for loader in _loaders:
        created.update(loader())
    created.update({"categories": 0, "departments": 0, "regions": 0})
    categories: dict[str, Category] = {}
    for code, name, children in CATEGORIES:
        top, was_created = Category.objects.get_or_create(code=code, defaults={"name": name})
        created["categories"] += was_created
        categories[code] = top
        for child_code, child_name in children:
            child, was_created = Category.objects.get_or_create(
                code=child_code, defaults={"name": child_name, "parent": top}
            )
            created["categories"] += was_created
            categories[child_code] = child
    for code, name, category_codes in DEPARTMENTS:
        department, was_created = Department.objects.get_or_create(code=code, defaults={"name": name})
        created["departments"] += was_created
        if was_created:
            competent = [categories[c] for c in category_codes]
            competent += [child for c in category_codes for child in categories[c].children.all()]
            department.categories.set(competent)
            for category in competent:
                if category.default_department_id is None:
                    category.default_department = department
                    category.save(update_fields=["default_department"])
    regions: dict[str, Region] = {}
    for code, name, parent_code, level in REGIONS:
        region, was_created = Region.objects.get_or_create(
            code=code, defaults={"name": name, "parent": regions.get(parent_code), "level": level}
        )
        created["regions"] += was_created
        regions[code] = region
    return created
