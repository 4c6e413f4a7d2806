# Python websockets (10.4, legacy API) over TLS: connects to argv[1] trusting the CA in argv[2],
# presenting the certificate argv[3] with key argv[4] when given; sends one text, prints its echo.
import asyncio
import ssl
import sys

import websockets


async def main():
    url, ca = sys.argv[1], sys.argv[2]
    context = ssl.create_default_context(cafile=ca)
    if len(sys.argv) > 4 and sys.argv[3]:
        context.load_cert_chain(sys.argv[3], sys.argv[4])
    try:
        async with websockets.connect(url, ssl=context) as ws:
            await ws.send("hello tls")
            print("ECHO " + await ws.recv(), flush=True)
    except Exception as e:  # the test reads the reason
        print("FAIL " + repr(e), flush=True)
        sys.exit(1)


asyncio.run(main())
