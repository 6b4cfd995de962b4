from django.urls import path

from resolutions import views

app_name = "resolutions"

urlpatterns = [
    path("", views.home, name="home"),
    path("votes/<int:pk>/", views.detail, name="detail"),
]
