"""Files are taken only by the pages that ask for one.

One page takes a file (settings.FILE_UPLOAD_PATHS: a campaign chapter's payment export). A
file sent to any other page is refused as it arrives, as Django refuses one too many: a 400,
before the file is read and before any form sees the request.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler


class OnlyWhereTaken(FileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        path = self.request.path_info if self.request is not None else ""
        if not any(re.match(p, path) for p in settings.FILE_UPLOAD_PATHS):
            raise TooManyFilesSent("This page takes no file.")
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        return raw_data  # for the next handler to keep

    def file_complete(self, file_size: int) -> None:
        return None
