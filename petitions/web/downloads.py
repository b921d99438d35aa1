"""Handing a stored upload back to a browser: one way for every kind of attachment."""

from django.core.files import File
from django.http import FileResponse


def stored_file_response(file: File, *, filename: str, content_type: str) -> FileResponse:
    """The file as a download under its original name and the type its content was checked to be
    (petitions.services.attachments); `nosniff`, so a browser never runs an upload as a page or script."""
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
