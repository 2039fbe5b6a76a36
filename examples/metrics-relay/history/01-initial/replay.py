#!/usr/bin/env python3
"""Replays recorded points against a running relay and checks what it stored.

Usage: replay.py HOST:PORT INPUT_CSV
The CSV has a header row and the columns measurement, host and value, one point per row;
other columns (time, ...) are ignored, except delay_ms: when present, the replay waits that
long before the row. Exit status: 0 every point stored as sent, 1 a point refused or stored
differently, 3 unreadable input, 125 the relay cannot be reached.
"""
import csv
import json
import socket
import sys
import time


def escape(text):
    return text.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=").replace(" ", "\\ ")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 3
    address, path = sys.argv[1], sys.argv[2]
    host, port = address.rsplit(":", 1)
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, csv.Error) as e:
        print("cannot read %s: %s" % (path, e))
        return 3
    try:
        sock = socket.create_connection((host, int(port)), timeout=5)
    except OSError as e:
        print("the relay cannot be reached at %s: %s" % (address, e))
        return 125
    replies = sock.makefile("r", encoding="utf-8")
    for n, row in enumerate(rows, 1):
        try:
            delay = float(row.get("delay_ms") or 0)
            measurement, tag, value = row["measurement"], row["host"], row["value"]
        except (KeyError, ValueError) as e:
            print("row %d: bad input: %s" % (n, e))
            return 3
        if delay > 0:
            time.sleep(delay / 1000.0)
        line = "%s,host=%s value=%s" % (escape(measurement), escape(tag), value)
        sock.sendall((line + "\n").encode("utf-8"))
        reply = replies.readline().rstrip("\n")
        if not reply.startswith("stored "):
            print("row %d: the relay refused %r: %s" % (n, line, reply))
            return 1
        stored = json.loads(reply[len("stored "):])
        if stored["tags"].get("host") != tag:
            print("row %d: sent host %r, the relay stored %r" % (n, tag, stored["tags"].get("host")))
            return 1
    print("replayed %d points, all stored as sent" % len(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
