"""Factories for tests and demo data. Cases are made by the real services, never behind their back."""

import random
from datetime import date, datetime, timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from faker import Faker

from petitions.identifiers import id_check_digit
from petitions.models import (
    Case,
    Category,
    Channel,
    Department,
    LegalType,
    Outcome,
    Purpose,
    ReceptionSession,
    Region,
    Role,
    State,
    User,
)
from petitions.services import lifecycle
from petitions.services.intake import CaseData, PetitionerData, case_register

fake = Faker("zh_CN")

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - shown in the README, for demo logins only


def valid_id_number(*, region_code: str = "990102", born: date | None = None, rng: random.Random = random) -> str:
    """An 18-character resident ID number with a correct check digit (fictional region code)."""
    born = born or date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"{region_code[:6]}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


def mobile_number(rng: random.Random = random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{980000 + n:06d}")
    name = factory.Sequence(lambda n: f"测试分类{n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"98{n:04d}")
    name = factory.Sequence(lambda n: f"测试区{n}")
    level = Region.Level.COUNTY


class UserFactory(factory.django.DjangoModelFactory):
    """`UserFactory(roles=["handler"], department=...)`; the password is DEMO_PASSWORD."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    full_name = factory.LazyFunction(fake.name)
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=[str(role) for role in extracted]))
            self.__dict__.pop("roles", None)  # forget the cached role set


# What people come about, by top-level category: (summary, request). Realistic, fictional.
MATTERS: dict[str, list[tuple[str, str]]] = {
    "城乡建设": [
        ("反映所住小区开发商逾期两年未办理房产证，多次协商无果。", "要求督促开发商尽快办理不动产权证书。"),
        ("反映旧城改造项目拆迁补偿标准低于周边同类项目，补偿款至今未结清。", "要求按政策重新核定补偿标准并支付余款。"),
        ("反映小区物业公司擅自提高物业费，电梯长期故障无人维修。", "要求责令物业公司维修电梯并规范收费。"),
        ("反映公租房分配过程不公开，符合条件的家庭未能轮候。", "要求公开分配结果并重新审核。"),
    ],
    "农村农业": [
        ("反映村委会将其承包的责任田转包他人，未经本人同意。", "要求恢复土地承包经营权。"),
        ("反映耕地地力保护补贴连续两年未发放到户。", "要求核查并补发补贴。"),
        ("反映村务公开不及时，集体土地流转收入去向不明。", "要求公开村集体财务账目。"),
    ],
    "劳动和社会保障": [
        ("反映在某建筑工地务工半年，包工头拖欠工资四万余元。", "要求协调追讨拖欠的工资。"),
        ("反映原单位未依法缴纳养老保险，导致退休后无法领取养老金。", "要求补缴养老保险。"),
        ("反映工作中受伤后用人单位拒绝申报工伤。", "要求认定工伤并依法赔偿。"),
    ],
    "教育文体": [
        ("反映孩子按学区应入读某小学，但学校以学位已满为由拒收。", "要求依法安排就近入学。"),
        ("反映某民办幼儿园突然停办，已交学费无法退还。", "要求退还已缴学费。"),
    ],
    "经济管理": [
        ("反映在某商场购买的家电存在质量问题，商家拒绝退换。", "要求依法退货退款。"),
        ("反映某预付卡健身房关门跑路，会员卡余额无法使用。", "要求查处并退还余额。"),
    ],
    "卫生计生": [
        ("反映家属在某医院手术后出现并发症，对医院处理不满。", "要求组织医疗事故鉴定。"),
        ("反映异地就医医疗费用报销被拒。", "要求按规定报销医疗费用。"),
    ],
    "组织人事": [("反映事业单位公开招聘过程中存在违规操作。", "要求调查招聘过程并公开结果。")],
    "党务政务": [
        ("反映办理营业执照时多次往返，窗口工作人员态度差。", "要求改进政务服务。"),
        ("建议在老旧小区增设无障碍通道和公共座椅。", "希望采纳建议。"),
    ],
    "纪检监察": [
        ("反映某镇干部在低保评定中优亲厚友。", "要求调查处理。"),
        ("反映某单位负责人公车私用。", "要求核查并依纪处理。"),
    ],
    "交通运输": [
        ("反映村道修建后不到一年即出现大面积破损。", "要求查明工程质量问题并修复。"),
        ("反映某公交线路调整后附近居民出行困难。", "要求恢复原线路或增设站点。"),
    ],
    "政法": [
        ("反映邻里纠纷中被打伤，派出所处理不公。", "要求依法重新处理。"),
        ("反映民事判决生效两年仍未执行到位。", "要求督促法院执行。"),
    ],
    "科技与信息": [("反映小区周边通信基站信号长期不佳。", "要求改善通信网络覆盖。")],
    "其他": [("反映家中困难，希望得到临时救助。", "要求给予临时救助。")],
}

LEGAL_TYPE_BY_PURPOSE = {
    Purpose.REQUEST: LegalType.CLAIM,
    Purpose.APPEAL: LegalType.CLAIM,
    Purpose.DISCLOSURE: LegalType.ACCUSATION,
    Purpose.SUGGESTION: LegalType.SUGGESTION,
    Purpose.OTHER: LegalType.CLAIM,
}


def petitioner_data(rng: random.Random = random, **overrides) -> PetitionerData:
    township = Region.objects.filter(level=Region.Level.TOWNSHIP).order_by("?").first()
    values = {
        "name": fake.name(),
        "gender": rng.choice(["M", "F"]),
        "id_number": valid_id_number(rng=rng),
        "phone": mobile_number(rng),
        "address": f"{township.name if township else '东华街道'}{fake.street_name()}{rng.randint(1, 200)}号",
    }
    values.update(overrides)
    return PetitionerData(**values)


def as_recorded(case: Case, position: int = 0, **overrides) -> PetitionerData:
    """The person `case` recorded at `position`, as a clerk would type them again (a repeat visit)."""
    link = case.case_petitioners.get(position=position)
    values = {name: getattr(link, name) for name in ("name", "gender", "id_number", "phone", "address")}
    return PetitionerData(**{**values, **overrides})


def just_received() -> datetime:
    """Half an hour ago, but today: a case made just after midnight is not one of yesterday's."""
    now = timezone.localtime()
    return max(now - timedelta(minutes=30), now.replace(hour=0, minute=0, second=0, microsecond=0))


def case_data(rng: random.Random = random, **overrides) -> CaseData:
    """A realistic intake. Pass fields to override (category, channel, petitioners, ...)."""
    category = overrides.pop("category", None) or (
        Category.objects.filter(parent__isnull=False, is_active=True).order_by("?").first()
        or Category.objects.order_by("?").first()
    )
    top = category.parent or category
    summary, request = rng.choice(MATTERS.get(top.name, MATTERS["其他"]))
    purpose = overrides.pop("purpose", None) or (
        Purpose.DISCLOSURE if top.name == "纪检监察" else Purpose.SUGGESTION if "建议" in summary else Purpose.REQUEST
    )
    region = (
        overrides.pop("region", None) or Region.objects.filter(level__gte=Region.Level.COUNTY).order_by("?").first()
    )
    headcount = overrides.pop("headcount", 1)
    petitioners = overrides.pop("petitioners", None)
    if petitioners is None:
        petitioners = [petitioner_data(rng) for _ in range(min(headcount, rng.randint(1, 5)) if headcount >= 5 else 1)]
    values = {
        "channel": Channel.VISIT,
        "received_at": just_received(),
        "purpose": purpose,
        "legal_type": LEGAL_TYPE_BY_PURPOSE[purpose],
        "category": category,
        "region": region,
        "summary": summary,
        "request": request,
        "headcount": headcount,
        "petitioners": petitioners,
    }
    values.update(overrides)
    return CaseData(**values)


def register_case(*, clerk: User | None = None, attachments=(), **overrides) -> Case:
    clerk = clerk or UserFactory(roles=[Role.CLERK])
    return case_register(actor=clerk, data=case_data(**overrides), attachments=list(attachments))


def advance(
    case: Case,
    to: str,
    *,
    supervisor: User,
    handler: User | None = None,
    department: Department | None = None,
    outcome: str = Outcome.EXPLAINED,
    delivered_on: date | None = None,
) -> Case:
    """Drive `case` through the real services to state `to` (assigned, reviewing: the outcome
    submitted; handled: accepted by the office; delivered, closed)."""
    steps = ["assigned", "reviewing", "handled", "delivered", "closed"]
    target = steps.index(to)
    case.refresh_from_db()
    if case.state == State.RECEIVED:
        department = department or case.category.default_department or Department.objects.first()
        case = lifecycle.case_accept(case_id=case.pk, actor=supervisor, department=department)
    if target >= 1 and case.state == State.ASSIGNED:
        handler = handler or UserFactory(roles=[Role.HANDLER], department=case.department)
        if case.handler_id is None:
            case = lifecycle.case_take(case_id=case.pk, actor=handler)
        case = lifecycle.case_handle(
            case_id=case.pk,
            actor=handler,
            outcome=outcome,
            outcome_text="经调查核实，已依法依规作出处理，具体意见如下。",
            legal_basis="《信访工作条例》第三十一条",
        )
    if target >= 2 and case.state == State.REVIEWING:
        case = lifecycle.case_accept_result(case_id=case.pk, actor=supervisor)
    if target >= 3 and case.outcome_delivered_on is None:
        case = lifecycle.case_record_delivery(
            case_id=case.pk,
            actor=supervisor,
            delivered_on=delivered_on or timezone.localdate(),
        )
    if target >= 4:
        case = lifecycle.case_close(case_id=case.pk, actor=supervisor)
    return case


def reception_session(*, leader: User, on: date | None = None, place: str = "市信访局接待大厅") -> ReceptionSession:
    return ReceptionSession.objects.create(
        leader=leader,
        date=on or timezone.localdate(),
        place=place,
        created_by=leader,
    )


def local_datetime(day: date, hour: int = 9, minute: int = 30) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))  # noqa: DTZ001 - made aware in the office's zone
