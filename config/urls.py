from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import bench

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("resolutions.api.urls")),
    path("", include("resolutions.urls")),
]

if settings.BENCH:
    # The benchmark's yardsticks (make bench), never in production (check --deploy).
    urlpatterns += bench.urlpatterns
