#!/usr/bin/env python3
"""A raw-bytes client for larchd's line protocol (docs/protocol.md), for
tests and benchmarks.  It checks the framing itself instead of trusting
the real client: every line must end in CRLF, a status line must be a
three-digit code, a block must end in a lone ".", and nothing may arrive
that no request asked for.

As a module: Client(addr) connects ("unix:PATH", "HOST:PORT" or a plain
socket path); greeting(), send(), read_reply(), command().  A Reply keeps
the exact bytes received as well as the decoded status line and the
unstuffed data lines.

As a program, it prints what the server sent, with CRLF shown as LF:

  larchc.py ADDR [options] REQUEST...

Each REQUEST is one argument with Python escapes decoded (\\r \\n \\xff
\\x00 \\t \\\\); a request without a line end gets CRLF appended.  All
requests go out in one write (pipelining) unless --step, which waits for
each reply before sending the next.  One reply is read per request line
(per LF in the bytes sent) unless --replies N.

Options:
  --no-greeting     do not print the greeting (it is always read)
  --codes           print only the status codes, space-separated
  --raw             print the bytes exactly as received
  --unstuff         print data lines with dot-stuffing removed (the
                    block still ends in a line ".")
  --json            every data line of a block (except RAW's) must be a
                    JSON object with "v": 1; exit 5 otherwise
  --expect-close    after the replies the server must close (EOF)
  --timeout S       seconds to wait for each reply (default 10)
  --step            send one request at a time

Exit status: 0 fine, 3 cannot connect, 5 framing violated, 6 extra bytes
after the replies, or no close with --expect-close, 7 timeout or early EOF.
"""

import json
import select
import socket
import sys
import time

# Codes whose status line is followed by a dot-terminated block.
BLOCK_CODES = {100, 101, 211, 215, 216, 220, 221, 230, 231}


class ProtocolError(Exception):
    pass


class Closed(Exception):
    """The server closed the connection (or timed out) mid-reply."""


class Reply:
    def __init__(self, status, lines, raw):
        self.status = status		# the status line, str, no CRLF
        self.code = int(status[:3])
        self.lines = lines		# data lines (bytes), unstuffed; None
        self.raw = raw			# every byte received for this reply

    @property
    def fields(self):
        return self.status.split()[1:]

    def text(self):
        """The data lines as str (UTF-8, errors replaced)."""
        return [l.decode("utf-8", "replace") for l in (self.lines or [])]

    def json(self):
        return [json.loads(l) for l in (self.lines or [])]

    def __repr__(self):
        n = "-" if self.lines is None else len(self.lines)
        return f"<Reply {self.status!r} {n} lines>"


def parse_addr(addr):
    if addr.startswith("unix:"):
        return socket.AF_UNIX, addr[5:]
    if "/" in addr:
        return socket.AF_UNIX, addr
    host, _, port = addr.rpartition(":")
    return socket.AF_INET, (host or "127.0.0.1", int(port))


class Client:
    def __init__(self, addr, timeout=10.0):
        fam, where = parse_addr(addr)
        self.sock = socket.socket(fam, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(where)
        # Received bytes not yet read: _data[_pos:].  An offset, not
        # slicing, so a long pipelined answer is not copied per line.
        self._data = bytearray()
        self._pos = 0
        self.eof = False
        self.timeout = timeout

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def _fill(self, deadline):
        if self.eof:
            raise Closed("connection closed by the server")
        left = deadline - time.monotonic()
        if left <= 0:
            raise Closed("timed out waiting for the server")
        self.sock.settimeout(left)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            raise Closed("timed out waiting for the server")
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            self.eof = True
            raise Closed("connection closed by the server")
        if self._pos == len(self._data):
            self._data = bytearray()
            self._pos = 0
        self._data += chunk

    @property
    def buf(self):
        """The bytes received and not yet read as replies."""
        return bytes(self._data[self._pos:])

    def _line(self, deadline):
        """One line with its CRLF; ProtocolError on a bare LF."""
        while True:
            i = self._data.find(b"\n", self._pos)
            if i >= 0:
                line = bytes(self._data[self._pos:i + 1])
                self._pos = i + 1
                if self._pos > 65536 and 2 * self._pos > len(self._data):
                    del self._data[:self._pos]
                    self._pos = 0
                if not line.endswith(b"\r\n"):
                    raise ProtocolError(f"line not ended by CRLF: {line!r}")
                return line
            self._fill(deadline)

    def read_reply(self, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        first = self._line(deadline)
        raw = [first]
        try:
            status = first[:-2].decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(f"status line not UTF-8: {first!r}")
        if (len(status) < 3 or not status[:3].isdigit()
                or (len(status) > 3 and status[3] != " ")):
            raise ProtocolError(f"bad status line: {status!r}")
        if int(status[:3]) not in BLOCK_CODES:
            return Reply(status, None, first)
        lines = []
        while True:
            line = self._line(deadline)
            raw.append(line)
            body = line[:-2]
            if body == b".":
                break
            if body.startswith(b"."):
                if not body.startswith(b".."):
                    raise ProtocolError(f"data line not dot-stuffed: {line!r}")
                body = body[1:]
            lines.append(body)
        return Reply(status, lines, b"".join(raw))

    def greeting(self):
        return self.read_reply()

    def command(self, line):
        """Sends one request line and returns its reply."""
        if isinstance(line, str):
            line = line.encode()
        self.send(line + b"\r\n")
        return self.read_reply()

    def pending(self, wait=0.05):
        """Bytes that arrive within wait seconds (b"" on EOF or none)."""
        if self.buf:
            return self.buf
        r, _, _ = select.select([self.sock], [], [], wait)
        if not r:
            return b""
        try:
            data = self.sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            data = b""
        if not data:
            self.eof = True
        return data

    def wait_close(self, timeout=5.0):
        """True when the server closes with nothing more sent."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r, _, _ = select.select([self.sock], [], [],
                                    deadline - time.monotonic())
            if not r:
                break
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                return not self.buf
            if not data:
                return not self.buf
            self._data += data
        return False


def decode_arg(s):
    """Python escapes, bytes in: \\r \\n \\t \\xNN \\\\ \\0."""
    return s.encode("utf-8").decode("unicode_escape").encode("latin-1") \
        if "\\" in s else s.encode("utf-8")


def main(argv):
    opts = {"greeting": True, "codes": False, "raw": False,
            "unstuff": False, "json": False, "close": False,
            "step": False}
    timeout, replies, reqs = 10.0, None, []
    args = list(argv)
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if args else 2
    addr = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--no-greeting":
            opts["greeting"] = False
        elif a == "--codes":
            opts["codes"] = True
        elif a == "--raw":
            opts["raw"] = True
        elif a == "--unstuff":
            opts["unstuff"] = True
        elif a == "--json":
            opts["json"] = True
        elif a == "--expect-close":
            opts["close"] = True
        elif a == "--step":
            opts["step"] = True
        elif a == "--timeout":
            timeout = float(args.pop(0))
        elif a == "--replies":
            replies = int(args.pop(0))
        elif a == "--":
            reqs += [decode_arg(x) for x in args]
            args = []
        else:
            reqs.append(decode_arg(a))
    reqs = [r if r.endswith(b"\n") else r + b"\r\n" for r in reqs]

    out = sys.stdout.buffer
    got = []
    try:
        c = Client(addr, timeout)
    except OSError as e:
        print(f"larchc: cannot connect to '{addr}': {e}", file=sys.stderr)
        return 3
    status = 0
    try:
        got.append(c.greeting())
        if opts["step"]:
            for r in reqs:
                c.send(r)
                for _ in range(r.count(b"\n")):
                    got.append(c.read_reply())
        else:
            c.send(b"".join(reqs))
            n = replies if replies is not None else \
                sum(r.count(b"\n") for r in reqs)
            for _ in range(n):
                got.append(c.read_reply())
        if opts["close"]:
            if not c.wait_close():
                print("larchc: the server did not close", file=sys.stderr)
                status = 6
        else:
            extra = c.pending()
            if extra:
                print(f"larchc: unasked-for bytes: {extra[:200]!r}",
                      file=sys.stderr)
                status = 6
    except ProtocolError as e:
        print(f"larchc: {e}", file=sys.stderr)
        status = 5
    except Closed as e:
        print(f"larchc: {e} after {len(got)} replies", file=sys.stderr)
        status = 7
    except OSError as e:
        print(f"larchc: {e} after {len(got)} replies", file=sys.stderr)
        status = 7
    finally:
        c.close()

    if not opts["greeting"] and got:
        got = got[1:]
    if opts["json"]:
        for r in got:
            if r.lines is None or r.code == 220:
                continue
            for l in r.lines:
                try:
                    o = json.loads(l)
                    if not isinstance(o, dict) or o.get("v") != 1:
                        raise ValueError("not an object with \"v\":1")
                except ValueError as e:
                    print(f"larchc: bad JSON line after '{r.status}': "
                          f"{l[:200]!r} ({e})", file=sys.stderr)
                    status = status or 5
    if opts["codes"]:
        out.write((" ".join(str(r.code) for r in got) + "\n").encode())
    elif opts["raw"]:
        for r in got:
            out.write(r.raw)
    else:
        for r in got:
            out.write(r.status.encode() + b"\n")
            if r.lines is None:
                continue
            if opts["unstuff"]:
                for l in r.lines:
                    out.write(l + b"\n")
                out.write(b".\n")
            else:
                for l in r.raw.split(b"\r\n")[1:-1]:
                    out.write(l + b"\n")
    out.flush()
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
