"""Public URLs about members. The whole scheme is documented in the README ("URLs")."""

from django.urls import path, re_path

from votes import views

app_name = "votes"

urlpatterns = [
    path("countries/", views.country_list, name="countries"),
    path("countries/<slug:slug>/", views.CountryView.as_view(), name="country"),
    path("p5/", views.p5, name="p5"),
    re_path(
        r"^p5/(?P<chart>vetoes|agreement|pair|divisions)\.(?P<fmt>csv|json)$",
        views.p5_data,
        name="p5_data",
    ),
]
