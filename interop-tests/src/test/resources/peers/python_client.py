"""Client on Python websockets 10.4 (legacy asyncio API), a peer for the interop tests.

Usage: python_client.py URL SCENARIO. Prints one JSON line per step and exits 0 when every step
succeeded. Scenarios (the node client prints the same lines for the same scenario):
  echo          against an echo server: text, binary (all 256 byte values), a fragmented text
                message, 10 MB of binary, a ping that must be answered with the same payload, then
                close 1000 "client done" and report the close code and reason received;
  server-close  wait for the server to close and report its code and reason;
  subprotocol   offer ["chat"], report the accepted protocol, then close as in echo;
  deflate-offered  offer permessage-deflate, report the extensions the server accepted, echo a
                text message, then close as in echo.
Only deflate-offered offers permessage-deflate.
"""
import asyncio
import json
import os
import sys

import websockets

MAX_SIZE = 64 * 1024 * 1024
STEP_TIMEOUT_S = 15
failed = False


def emit(line):
    print(json.dumps(line, separators=(",", ":"), ensure_ascii=False), flush=True)


def step(name, ok, detail):
    global failed
    line = {"step": name, "ok": ok}
    if not ok:
        line["detail"] = detail
        failed = True
    emit(line)


def describe(message):
    kind = "text" if isinstance(message, str) else "binary"
    return f"{kind} of {len(message)} items"


def connect(url, subprotocols=None, compression=None):
    return websockets.connect(
        url, compression=compression, max_size=MAX_SIZE, subprotocols=subprotocols, open_timeout=10
    )


async def recv(ws):
    return await asyncio.wait_for(ws.recv(), STEP_TIMEOUT_S)


async def close_and_report(ws):
    await asyncio.wait_for(ws.close(1000, "client done"), STEP_TIMEOUT_S)
    emit({"step": "close", "code": ws.close_code, "reason": ws.close_reason})


async def echo(url):
    async with connect(url) as ws:
        await ws.send("hello")
        m = await recv(ws)
        step("text", m == "hello", describe(m))

        all_bytes = bytes(range(256))
        await ws.send(all_bytes)
        m = await recv(ws)
        step("binary", m == all_bytes, describe(m))

        # An iterable is sent as one fragmented message.
        await ws.send(["alpha", "beta", "gamma"])
        m = await recv(ws)
        step("fragmented", m == "alphabetagamma", describe(m))

        big = os.urandom(10 * 1024 * 1024)
        await ws.send(big)
        m = await recv(ws)
        step("big", m == big, describe(m))

        # The waiter completes only when a pong with this payload arrives.
        waiter = await ws.ping(b"ping-payload")
        try:
            await asyncio.wait_for(waiter, STEP_TIMEOUT_S)
            step("ping", True, "")
        except asyncio.TimeoutError:
            step("ping", False, "no pong with the ping's payload")

        await close_and_report(ws)


async def server_close(url):
    async with connect(url) as ws:
        try:
            await recv(ws)
            step("closed", False, "got a message instead of a close")
            return
        except websockets.ConnectionClosed:
            pass
        await asyncio.wait_for(ws.wait_closed(), STEP_TIMEOUT_S)
        emit({"step": "closed", "code": ws.close_code, "reason": ws.close_reason})


async def subprotocol(url):
    async with connect(url, subprotocols=["chat"]) as ws:
        emit({"step": "protocol", "protocol": ws.subprotocol})
        await close_and_report(ws)


async def deflate_offered(url):
    async with connect(url, compression="deflate") as ws:
        emit({"step": "extensions", "extensions": ", ".join(e.name for e in ws.extensions)})
        await ws.send("hello")
        m = await recv(ws)
        step("text", m == "hello", describe(m))
        await close_and_report(ws)


SCENARIOS = {
    "echo": echo,
    "server-close": server_close,
    "subprotocol": subprotocol,
    "deflate-offered": deflate_offered,
}


def main():
    url, scenario = sys.argv[1], sys.argv[2]
    asyncio.run(SCENARIOS[scenario](url))
    sys.exit(1 if failed else 0)


main()
