# Python websockets (10.4, legacy API) TLS echo server on 127.0.0.1: certificate argv[1], key
# argv[2]; prints "PORT n" once listening.
import asyncio
import ssl
import sys

import websockets


async def echo(ws, path):
    async for message in ws:
        await ws.send(message)


async def main():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    async with websockets.serve(echo, "127.0.0.1", 0, ssl=context) as server:
        print("PORT %d" % server.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()


asyncio.run(main())
