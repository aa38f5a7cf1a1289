"""One shape for every error the API gives: {"error": {"code": "...", "message": "..."}}."""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

# The code for each status, when nothing more precise is said.
CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "invalid",
    429: "rate_limited",
}
# The statuses every operation may answer with, documented in the schema.
ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 422, 429})


class FieldError(Schema):
    field: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    fields: list[FieldError] | None = None


class ErrorOut(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised by an operation to answer with this status, code and message."""

    def __init__(self, status: int, code: str, message: str, fields: list | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def error_response(
    status: int, message: str, code: str = "", fields: list | None = None
) -> JsonResponse:
    body: dict = {"code": code or CODES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    return JsonResponse({"error": body}, status=status)


def _validation_fields(errors: list[dict]) -> list[dict]:
    # Only the place and the words: pydantic's context may hold objects JSON cannot carry.
    fields = []
    for error in errors:
        where = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
        fields.append({"field": ".".join(where) or "request", "message": str(error.get("msg"))})
    return fields


def install(api: NinjaAPI) -> None:
    """Replace ninja's own error answers, so none has another shape."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_response(exc.status, exc.message, exc.code, exc.fields)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = _validation_fields(exc.errors)
        return error_response(422, "Some of what was sent is not valid.", fields=fields)

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = error_response(401, "Send a valid token: Authorization: Bearer <token>.")
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = max(1, math.ceil(exc.wait or 1))
        response = error_response(429, f"Too many requests. Try again in {wait} seconds.")
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return error_response(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, "There is nothing here.")

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(403, str(exc) or "This token may not do that.")
