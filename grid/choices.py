from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    # The five tiers of the official statistical division codes; a center can run at each one.
    PROVINCE = 1, _("省级")
    CITY = 2, _("市级")
    COUNTY = 3, _("县级")
    TOWNSHIP = 4, _("乡级")
    VILLAGE = 5, _("村级")


class Residency(models.TextChoices):
    # Stationed at the center every working day.
    RESIDENT = "resident", _("常驻")
    # Present on the days of its rota only.
    ROTATING = "rotating", _("轮驻")
    # Comes when called; the fallback when no resident or rotating department fits.
    ON_CALL = "on_call", _("随叫随驻")


class DepartmentKind(models.TextChoices):
    PUBLIC_SECURITY = "public_security", _("公安")
    COURT = "court", _("法院")
    PROCURATORATE = "procuratorate", _("检察院")
    JUSTICE = "justice", _("司法局")
    PETITION = "petition", _("信访局")
    HUMAN_RESOURCES = "human_resources", _("人社局")
    HOUSING = "housing", _("住建局")
    NATURAL_RESOURCES = "natural_resources", _("自然资源局")
    MARKET_REGULATION = "market_regulation", _("市场监管局")
    HEALTH = "health", _("卫健局")
    CIVIL_AFFAIRS = "civil_affairs", _("民政局")
    WOMENS_FEDERATION = "womens_federation", _("妇联")
    INDUSTRY_MEDIATION = "industry_mediation", _("行业性专业性调解委员会")
    PEOPLES_MEDIATION = "peoples_mediation", _("人民调解委员会")
    LEGAL_AID = "legal_aid", _("法律援助中心")
    PSYCHOLOGICAL = "psychological", _("心理服务")
    OTHER = "other", _("其他")


class Role(models.TextChoices):
    # Registers walk-in, phone, hotline and referred matters at a window.
    CLERK = "clerk", _("窗口受理员")
    # Reports what they find in their grid cell and resolves blue cases.
    GRID_WORKER = "grid_worker", _("网格员")
    # Works case queues: claims, mediates, closes, follows up.
    MEDIATOR = "mediator", _("调解员")
    # Triage, arbitration, escalation, supervision notices, deadlines.
    SUPERVISOR = "supervisor", _("督办人员")
    # Configures centers, departments, windows, categories and staff.
    ADMIN = "admin", _("系统管理员")
