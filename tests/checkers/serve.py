#!/usr/bin/env python3
"""Serve DIR over HTTP on 127.0.0.1 at a free port chosen by the OS.

Usage: serve.py DIR
Prints the port number on the first line of stdout, then serves until killed.
Only ever binds the loopback address. A directory URL serves its index.html;
/dir (no trailing slash) is redirected (301) to /dir/.
"""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    # Deterministic types for what a static site ships (the system table may lack some).
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
        ".webmanifest": "application/manifest+json",
    }

    def log_message(self, *args):  # keep the checkers' output clean
        pass


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: serve.py DIR")
    handler = functools.partial(Handler, directory=sys.argv[1])
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    print(httpd.server_address[1], flush=True)
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
