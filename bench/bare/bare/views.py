from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from bare.models import Item


def item_list(request: HttpRequest) -> HttpResponse:
    """50 rows of one department's items in one state, by due date, and their COUNT (both through the index)."""
    items = Item.objects.filter(department_id=int(request.GET.get("department", 3)), state="assigned")
    rows = list(items.order_by("due_date", "id")[:50])
    return render(request, "bare/list.html", {"rows": rows, "count": items.count()})


def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "bare/detail.html", {"item": get_object_or_404(Item, pk=pk)})


@csrf_exempt
def item_insert(request: HttpRequest) -> HttpResponse:
    """One INSERT per request."""
    now = timezone.now()
    item = Item.objects.create(
        department_id=1, state="received", due_date=now.date(), number="N", title="insert", received_at=now
    )
    return HttpResponse(str(item.pk), status=201)
