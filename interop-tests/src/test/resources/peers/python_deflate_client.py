"""A Python websockets 10.4 client with permessage-deflate, for the deflate interop tests.

Arguments: URL and a JSON object of ClientPerMessageDeflateFactory's parameters. Prints
"EXT <the server's Sec-WebSocket-Extensions>", sends the payloads of deflate_payloads.py one at a
time, compares each echo, and prints "OK <n>" or "FAIL <why>".
"""
import asyncio
import json
import os
import sys

import websockets
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # -I leaves the script's folder out
import deflate_payloads  # noqa: E402


async def main():
    params = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    full = params.pop("payloads", "small") == "full"  # "small" leaves out the 10 MB payloads
    factory = ClientPerMessageDeflateFactory(**params)
    payloads = deflate_payloads.all(full)
    try:
        async with websockets.connect(
            sys.argv[1], extensions=[factory], compression=None, max_size=64 * 1024 * 1024
        ) as ws:
            print("EXT " + str(ws.response_headers.get("Sec-WebSocket-Extensions")), flush=True)
            for name, binary, data in payloads:
                await ws.send(data if binary else data.decode("latin-1"))
                echo = await ws.recv()
                if binary:
                    same = isinstance(echo, bytes) and echo == data
                else:
                    same = isinstance(echo, str) and echo == data.decode("latin-1")
                if not same:
                    print(f"FAIL payload {name} came back different", flush=True)
                    return
            print(f"OK {len(payloads)}", flush=True)
    except Exception as e:  # noqa: BLE001 - reported to the test
        print(f"FAIL {e!r}", flush=True)


asyncio.run(main())
