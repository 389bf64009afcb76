"""HTTP face of the witness log (registered by :func:`officer_app.platform.app.build_app`).

``GET /v1/witness/key`` the public key laptops pin at login; ``POST /v1/witness`` witness a ledger
head (every sync); ``GET /v1/witness/heads`` all that was witnessed for one laptop
(``verify --against-platform``); ``GET /v1/transfers/{tid}/custody`` the proofs that a transfer's
evidence was witnessed on the sender's side (fetched by the receiver when it pulls the transfer).
An agency sees only its own laptops' leaves and the custody of transfers it sent or received.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from officer_app.platform import records, signing, witness
from officer_app.platform.errors import BadRequest, NotFound
from officer_app.platform.runtime import Platform


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError as exc:
        raise BadRequest(f"参数 {name} 必须是整数。", raw) from exc
    if value < 0:
        raise BadRequest(f"参数 {name} 不能为负数。", raw)
    return value


def routes(p: Platform, json_body: Any) -> list[Route]:
    """``json_body``: the app's request-body reader (size limit and error mapping in one place)."""
    key = signing.load_or_create(p.paths)

    async def public_key(request: Request) -> Response:
        await p.caller(request)
        return JSONResponse(key.public())

    async def witness_head(request: Request) -> Response:
        caller = await p.caller(request)
        body = await json_body(request)
        try:
            answer = await p.db(
                lambda c: witness.append(
                    c, key, agency=caller.agency, token_id=caller.token_id, body=body, source="sync"
                )
            )
        except witness.WitnessRefused as exc:
            raise BadRequest(exc.message_zh, str(exc)) from exc
        return JSONResponse(answer)

    async def heads(request: Request) -> Response:
        caller = await p.caller(request)
        client_id = request.query_params.get("client_id", "")
        if not witness.CLIENT_ID_RE.match(client_id):
            raise BadRequest("缺少本机编号。", "client_id")
        since = _int_param(request, "since_size")
        answer = await p.db(
            lambda c: witness.heads(
                c, key, agency=caller.agency, client_id=client_id, since_size=since
            )
        )
        return JSONResponse(answer)

    async def custody(request: Request) -> Response:
        caller = await p.caller(request)

        def work(conn: Any) -> dict[str, Any] | None:
            found = records.get_transfer(conn, caller, request.path_params["tid"])
            return None if found is None else witness.transfer_custody(conn, key, found)

        answer = await p.db(work)
        if answer is None:
            raise NotFound("平台上没有该移送记录。", "transfer hidden or absent")
        return JSONResponse(answer)

    return [
        Route("/v1/witness/key", public_key, methods=["GET"]),
        Route("/v1/witness", witness_head, methods=["POST"]),
        Route("/v1/witness/heads", heads, methods=["GET"]),
        Route("/v1/transfers/{tid}/custody", custody, methods=["GET"]),
    ]
