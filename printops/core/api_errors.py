"""The error answers the API publishes: one `ErrorOut` schema, `{"detail": "<sentence>"}`, and
`errors(...)` to list in each operation's `response=` the statuses it can really answer.

`printops/api.py` turns every refusal into that body once; declaring the statuses here is what
puts them in the OpenAPI document (issue 10: no error status was documented, so a client
generated from the document had no type for a 404 and schemathesis could not check them).
What each status means:

- 400 the body could not be parsed (malformed JSON or multipart);
- 401 no credentials, or a token that is wrong or revoked (every operation);
- 403 the role may not do this, or a signed-in browser's write came without its CSRF token;
- 404 an id in the path (or one the body names) is not in this workspace;
- 409 the object's state refuses it (already received, not printing, a name taken…);
- 413 the body is larger than the server accepts;
- 422 the input is invalid: out of range, a wrong pattern, a missing field, or a shared
  workstation that has not said who is acting.

`tests/core/test_openapi.py` checks the rules: 401 on every operation, 403 and 422 on every
write, 404 and 422 wherever the path carries an id, 400 and 413 wherever there is a body.
"""

from __future__ import annotations

from ninja import Schema


class ErrorOut(Schema):
    """Every error answer: one sentence a person can act on."""

    detail: str


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """`{401: ErrorOut, <status>: ErrorOut, ...}` for an operation's `response=`; 401 is always
    there because every operation needs credentials."""
    return {status: ErrorOut for status in sorted({401, *statuses})}


# The usual sets, by what an operation does.
READ = errors()
READ_ONE = errors(404, 422)  # an id in the path
WRITE = errors(400, 403, 413, 422)  # a JSON or multipart body
WRITE_ONE = errors(400, 403, 404, 413, 422)  # a body and an id in the path
ACTION_ONE = errors(403, 404, 422)  # a write on the id in the path, without a body


def file_answer(media_type: str, description: str) -> dict[str, object]:
    """`openapi_extra` for an operation that answers 200 with a file rather than JSON (ninja
    would otherwise publish `application/json`)."""
    schema = (
        {"type": "string"}
        if media_type.startswith("text/")
        else {"type": "string", "format": "binary"}
    )
    return {
        "responses": {
            200: {"description": description, "content": {media_type: {"schema": schema}}}
        }
    }
