"""Reference data with codes: what intake and the list filters name."""

from django.http import HttpRequest
from ninja import Router, Status

from integrations import selectors
from integrations.api.errors import ERROR_STATUSES, ErrorOut
from integrations.api.schemas import CategoryOut, DepartmentOut, RegionOut

router = Router(tags=["reference data"])
ERRORS = dict.fromkeys(ERROR_STATUSES, ErrorOut)


@router.get("/categories", response={200: list[CategoryOut], **ERRORS}, summary="Content categories")
def category_list(request: HttpRequest):
    return Status(
        200,
        [
            {
                "code": row["code"],
                "name": row["name"],
                "parent": row["parent__code"],
                "default_department": row["default_department__code"],
            }
            for row in selectors.categories()
        ],
    )


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="Regions (问题属地)")
def region_list(request: HttpRequest):
    return Status(
        200,
        [
            {"code": row["code"], "name": row["name"], "parent": row["parent__code"], "level": row["level"]}
            for row in selectors.regions()
        ],
    )


@router.get("/departments", response={200: list[DepartmentOut], **ERRORS}, summary="Departments (承办单位)")
def department_list(request: HttpRequest):
    return Status(
        200,
        [
            {"code": row["code"], "name": row["name"], "parent": row["parent__code"], "is_active": row["is_active"]}
            for row in selectors.departments()
        ],
    )
