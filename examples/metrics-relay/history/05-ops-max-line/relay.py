#!/usr/bin/env python3
"""metrics-relay: accepts line-protocol points over TCP, one per line, stores them and
answers every line with 'stored <point as JSON>' or 'error <why>'.

Usage: relay.py [--host 127.0.0.1] [--port 8094]   (--port 0 picks a free port)
"""
import argparse
import json
import socketserver
import threading

import lineproto


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        self.server.log("client %s:%d connected" % self.client_address)
        for raw in self.rfile:
            if len(raw) > self.server.max_line:
                self.wfile.write(b"error line longer than the limit\n")
                self.wfile.flush()
                continue
            line = raw.decode("utf-8", "replace").rstrip("\n")
            if not line:
                continue
            if line == "?stats":
                self.wfile.write(("stats " + json.dumps(self.server.stats(), sort_keys=True) + "\n").encode("utf-8"))
                self.wfile.flush()
                continue
            try:
                point = lineproto.parse(line)
                self.server.store(point)
                reply = "stored " + json.dumps(point, sort_keys=True)
            except ValueError as e:
                reply = "error " + str(e)
            self.wfile.write((reply + "\n").encode("utf-8"))
            self.wfile.flush()


class Relay(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address):
        super().__init__(address, Handler)
        self.lock = threading.Lock()
        self.points = 0
        self.by_measurement = {}
        self.verbose = False
        self.max_line = 65536

    def store(self, point):
        with self.lock:
            self.points += 1
            name = point["measurement"]
            self.by_measurement[name] = self.by_measurement.get(name, 0) + 1

    def log(self, message):
        if self.verbose:
            print(message, flush=True)

    def stats(self):
        with self.lock:
            return {"points": self.points, "by_measurement": dict(self.by_measurement)}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8094)
    parser.add_argument("--verbose", action="store_true", help="log every client that connects")
    parser.add_argument("--max-line", type=int, default=65536, help="longest line accepted, in bytes")
    args = parser.parse_args()
    relay = Relay((args.host, args.port))
    relay.verbose = args.verbose
    relay.max_line = args.max_line
    host, port = relay.server_address
    print("relay listening on %s:%d" % (host, port), flush=True)
    relay.serve_forever()


if __name__ == "__main__":
    main()
