from csp.decorators import csp_update
from django.http import JsonResponse
from django.urls import path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from resolutions.api import views

app_name = "api"

# Swagger UI injects one fixed <style> element; the CSP allows exactly that one by
# its hash, on this page only. Scripts stay 'self' (the split view serves its own).
SWAGGER_UI_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"
DOCS = csp_update({"style-src": [SWAGGER_UI_STYLE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)

router = SimpleRouter()
router.register("votes", views.VoteViewSet, basename="vote")
router.register("member-states", views.MemberStateViewSet, basename="member-state")
router.register("vetoes", views.VetoViewSet, basename="veto")

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("p5/<str:chart>/", views.P5View.as_view(), name="p5"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", DOCS, name="docs"),
    *router.urls,
    # Anything else under /api/v1/ is a JSON 404 too, never an HTML page.
    re_path(r"^.*$", lambda request: JsonResponse({"detail": "Not found."}, status=404)),
]
