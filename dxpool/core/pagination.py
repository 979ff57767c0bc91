"""API pagination with bounds a database can hold.

django-ninja's LimitOffsetPagination accepts any non-negative integer, and an offset or limit past 2**63 makes
the database driver raise (OverflowError on SQLite, NumericValueOutOfRange on PostgreSQL): a 500 where the
client sent bad input. Bounded fields turn that into the API's usual 422 with a JSON error.
"""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

#: Enough for every municipality of Japan (1,741) in one page.
MAX_LIMIT = 2000
MAX_OFFSET = 10**9


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"件数 (1–{MAX_LIMIT})")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="先頭から飛ばす件数")

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
