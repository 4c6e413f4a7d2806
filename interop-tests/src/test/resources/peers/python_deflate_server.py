"""Echo server on Python websockets 10.4 with permessage-deflate, for the deflate interop tests.

Argument: a JSON object of ServerPerMessageDeflateFactory's parameters (server_no_context_takeover,
client_no_context_takeover, server_max_window_bits, client_max_window_bits). Prints "PORT <n>",
then per connection "EXT <the response's Sec-WebSocket-Extensions>", and echoes every message.
"""
import asyncio
import json
import sys

import websockets
from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory

MAX_SIZE = 64 * 1024 * 1024
PARAMS = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}


async def echo(ws, path):
    print("EXT " + str(ws.response_headers.get("Sec-WebSocket-Extensions")), flush=True)
    try:
        async for message in ws:
            await ws.send(message)
    except websockets.ConnectionClosed:
        pass


async def main():
    factory = ServerPerMessageDeflateFactory(**PARAMS)
    async with websockets.serve(
        echo, "127.0.0.1", 0, extensions=[factory], compression=None, max_size=MAX_SIZE
    ) as server:
        print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.Future()


asyncio.run(main())
