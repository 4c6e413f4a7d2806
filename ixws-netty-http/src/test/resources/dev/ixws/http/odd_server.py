"""Python's http.server with odd but legal behaviours, for HttpClientAgainstPythonTest.

Prints its port on the first line of stdout, then serves until killed.
"""
import email
import email.policy
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.0: no keep-alive unless asked, bodies may end with the connection.
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        if self.path == "/until-close":
            # No Content-Length, no chunking: the body ends when the server closes.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"read until close " * 1000)
        elif self.path == "/informational":
            # Two interim responses before the final one (RFC 9110 section 15.2).
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.wfile.write(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nfinal")
        elif self.path == "/headers":
            self.send_response(200)
            self.send_header("Set-Cookie", "a=1")
            self.send_header("Set-Cookie", "b=2")
            self.send_header("X-Empty", "")
            body = self.headers.get("User-Agent", "").encode()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def do_POST(self):
        # Parses a multipart/form-data body with the standard library's email parser and lists
        # its parts: "name|filename|content-type|content" per line.
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        message = email.message_from_bytes(
            b"Content-Type: " + self.headers.get("Content-Type", "").encode() + b"\r\n\r\n" + raw,
            policy=email.policy.HTTP)
        lines = []
        for part in message.iter_parts():
            lines.append("|".join([
                part.get_param("name", header="content-disposition") or "",
                part.get_filename() or "",
                part.get_content_type(),
                part.get_payload(decode=True).decode("utf-8"),
            ]))
        body = "\n".join(lines).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
