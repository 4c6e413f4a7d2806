"""Echo server on Python websockets 10.4 (legacy asyncio API), a peer for the interop tests.

Prints "PORT <n>" as its first line, then one JSON line per connection that closed:
  {"event":"close","code":<code the client sent>,"reason":"<its reason>"}
Echoes text as text and binary as binary. Two text commands:
  "close:CODE:REASON"    closes the connection with CODE and REASON;
  "fragments:A|B|C"      answers with one text message sent as the fragments A, B, C.
No permessage-deflate here: DeflateInteropTest uses python_deflate_server.py.
"""
import asyncio
import json

import websockets

MAX_SIZE = 64 * 1024 * 1024


async def echo(ws, path):
    try:
        async for message in ws:
            if isinstance(message, str):
                if message.startswith("close:"):
                    _, code, reason = message.split(":", 2)
                    await ws.close(int(code), reason)
                    break
                if message.startswith("fragments:"):
                    # An iterable is sent as one fragmented message.
                    await ws.send(message[len("fragments:"):].split("|"))
                    continue
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    await ws.wait_closed()
    line = {"event": "close", "code": ws.close_code, "reason": ws.close_reason}
    print(json.dumps(line, separators=(",", ":"), ensure_ascii=False), flush=True)


async def main():
    async with websockets.serve(
        echo, "127.0.0.1", 0, compression=None, max_size=MAX_SIZE
    ) as server:
        print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


asyncio.run(main())
