# SPDX-License-Identifier: MIT
# json_server.py ROUTES PORT_FILE [REQUESTS]: a tiny HTTP server for the shell tests, on
# 127.0.0.1 at a free port (written to PORT_FILE). ROUTES is a JSON file
# {"/path/prefix": {"status": 200, "body": <any JSON>}, ...}: a GET answers with the route
# whose prefix matches the path (the longest), anything else with 503. It stops by itself
# after REQUESTS requests or idle seconds (default 60).
import http.server
import json
import socketserver
import sys

routes = json.load(open(sys.argv[1]))


class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        match = max((p for p in routes if self.path.startswith(p)), key=len, default=None)
        status, body = (routes[match]["status"], routes[match]["body"]) if match else (503, "down")
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a):
        pass


with socketserver.TCPServer(("127.0.0.1", 0), H) as s:
    open(sys.argv[2], "w").write(str(s.server_address[1]))
    s.timeout = 1
    for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 60):
        s.handle_request()
