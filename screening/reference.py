"""The kinds of dispute the register starts with (administrators add more in the admin site)."""

KINDS = [
    ("wage_arrears", "欠薪", 10),
    ("land_acquisition", "征地", 20),
    ("demolition", "拆迁补偿", 30),
    ("property", "物业管理", 40),
    ("housing_delivery", "房屋交付和办证", 50),
    ("rural_land", "农村土地承包", 60),
    ("labour", "劳动关系和社会保障", 70),
    ("environment", "环境污染", 80),
    ("investment", "涉众型投资和集资", 90),
    ("medical", "医疗纠纷", 100),
    ("education", "教育", 110),
    ("other", "其他", 990),
]


def load_kinds(model=None) -> dict[str, int]:
    """Create the kinds that are missing; an administrator's renaming or retiring is kept."""
    if model is None:
        from screening.models import IssueKind as model
    created = 0
    for code, name, order in KINDS:
        created += model.objects.get_or_create(code=code, defaults={"name": name, "order": order})[1]
    return {"issue_kinds": created}
