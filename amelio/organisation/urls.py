from django.urls import path

from . import views

app_name = "organisation"

urlpatterns = [
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/new/", views.DepartmentCreateView.as_view(), name="department_create"),
    path("departments/<int:pk>/", views.DepartmentDetailView.as_view(), name="department_detail"),
    path("departments/<int:pk>/edit/", views.DepartmentUpdateView.as_view(), name="department_update"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path("academic-years/", views.AcademicYearListView.as_view(), name="academic_year_list"),
    path("academic-years/new/", views.AcademicYearCreateView.as_view(), name="academic_year_create"),
    path("academic-years/<int:pk>/edit/", views.AcademicYearUpdateView.as_view(), name="academic_year_update"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_update"),
    path("people/<int:pk>/grant-role/", views.RoleGrantView.as_view(), name="role_grant"),
    path("roles/", views.RoleListView.as_view(), name="role_list"),
    path("roles/<int:pk>/revoke/", views.RoleRevokeView.as_view(), name="role_revoke"),
    path("school/", views.SchoolDetailView.as_view(), name="school_detail"),
    path("school/edit/", views.SchoolUpdateView.as_view(), name="school_update"),
    path("school/logo/", views.SchoolLogoView.as_view(), name="school_logo"),
    path("setup/", views.SetupView.as_view(), name="setup"),
    path("setup/school/", views.SetupSchoolView.as_view(), name="setup_school"),
    path("setup/academic-year/", views.SetupAcademicYearView.as_view(), name="setup_year"),
    path("setup/structure/", views.SetupStructureView.as_view(), name="setup_structure"),
    path("setup/quality-manager/", views.SetupQualityManagerView.as_view(), name="setup_quality_manager"),
    path("my-roles/", views.MyRolesView.as_view(), name="my_roles"),
]
