from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    """Newest first by id: a unique, never-changing key, so a page's cursor stays right
    while rows are added (they land before the first page, never inside a later one)."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200
