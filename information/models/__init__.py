from information.models.returns import (
    CONTENT_FIELDS,
    ReportingUnit,
    ReturnChase,
    ReturnKind,
    ReturnRule,
    SpecialPeriod,
    UnitReturn,
)

__all__ = [
    "CONTENT_FIELDS",
    "ReportingUnit",
    "ReturnChase",
    "ReturnKind",
    "ReturnRule",
    "SpecialPeriod",
    "UnitReturn",
]
