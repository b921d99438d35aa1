from django.urls import path

from bare import views

urlpatterns = [
    path("items/", views.item_list),
    path("items/<int:pk>/", views.item_detail),
    path("items/new/", views.item_insert),
]
