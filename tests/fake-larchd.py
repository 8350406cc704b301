#!/usr/bin/env python3
"""A tiny, scriptable stand-in for larchd, for tests/e2e-client.sh.

It speaks docs/protocol.md with canned data so the client can be tested
before (and independently of) the real daemon, and it misbehaves on
request so the client's robustness can be tested at all: hostile
greetings on their own sockets, hostile replies keyed on the query.

    fake-larchd.py DIR

listens on DIR/<mode>.sock for every mode below and on 127.0.0.1 (and ::1
when the host has IPv6) with the normal behaviour, writing the ports to
DIR/tcp4.port and DIR/tcp6.port, logs every request line to
DIR/requests.log, writes the bytes `larch raw` must print to
DIR/raw.expected, then DIR/ready.  It serves until killed.

Owned by the client's engineer; not a model of the real daemon's logic.
"""
import json
import os
import socket
import socketserver
import sys
import threading
import time

DIR = sys.argv[1]
LOG_LOCK = threading.Lock()

# Greeting modes: each gets its own socket.
GREETINGS = {
    "normal": b"200 larch 1 ready\r\n",
    "nojson": b"200 larch 1 ready\r\n",
    "linger": b"200 larch 1 ready\r\n",
    "greet400": b"400 index missing\r\n",
    "version2": b"200 larch 2 ready\r\n",
    "notlarch": b"200 nntp 1 ready\r\n",
    "garbage": b"HTTP/1.1 400 Bad Request\r\n",
    "overlong": b"200 " + b"x" * (200 * 1024) + b"\r\n",
    "close": b"",
    "silent": None,
    "trickle": None,
}

ROWS = [
    {"mid": ".dot@x", "thread": "root@x", "date": "2019-05-02T10:11:12Z",
     "list": "mag", "from": "ann@example.org", "from_name": "Ann Example",
     "subject": "Re: best practice forum",
     "summary": "Agreed; the draft is fine."},
    {"mid": "cjk@x", "thread": "root@x", "date": "2019-05-03T08:00:00Z",
     "list": "mag", "from": "wang@example.cn", "from_name": "王小明",
     "subject": "会议纪要：最佳实践论坛的讨论结果与下一步计划安排",
     "summary": "我们同意这个草案，请大家在下周之前提交意见。"},
    {"mid": "esc@x", "thread": "esc@x", "date": "2019-05-04T00:00:00Z",
     "list": "bpf", "from": "bob@example.org", "from_name": "",
     "subject": "\x1b[31mred alert\x1b[0m", "summary": "bell\x07 here"},
]

# Message-ids that are hard to show on a terminal: longer than a narrow
# one, and ones the shell would take apart unless quoted.
ODD_ROWS = [
    dict(ROWS[0], mid="CAHk-=wgQx7a1mFh0o3ZkR2pQ9c8yYzLq4VvE5sTnXw6uJ3bA"
         "@mail.gmail.com", subject="a long gmail id"),
    dict(ROWS[0], mid="it's$HOME&(x)*@example.org", subject="shell bytes"),
    dict(ROWS[0], mid="=tilde~star*@x", subject="zsh expansions"),
]

SHOW_LINES = [
    "From: Ann Example <ann@example.org>",
    "Date: 2019-05-02T10:11:12Z",
    "Subject: Re: best practice forum",
    "Message-ID: <.dot@x>",
    "List: mag",
    "",
    "I agree with the draft.",
    ".a line that starts with a dot",
    "..and one with two",
    "",
    "> The draft is attached.",
    "> .quoted dot",
]

SUMMARY_LINES = ["Thread: best practice forum", "3 messages from 2 people",
                 ".dotted summary line"]
LISTS = [["mag", "120", "40", "2016-01-04T10:00:00Z", "2019-05-04T00:00:00Z"],
         ["bpf", "8", "3", "2017-02-01T00:00:00Z", "2018-12-24T12:00:00Z"]]
STATS = [("messages", "128"), ("threads", "43"), ("lists", "2"),
         ("first_date", "2016-01-04T10:00:00Z")]


def raw_message():
    """A message with every byte a raw reader must keep: dots, CRs,
    Latin-1, NUL, and a line far longer than any other cap."""
    lines = [b"From ann@example.org Thu May  2 10:11:12 2019",
             b"From: Ann <ann@example.org>",
             b"Subject: caf\xe9 in Latin-1",
             b"Message-ID: <.dot@x>",
             b"",
             b".",
             b"..",
             b".x starts with a dot",
             b"a bare\rCR inside",
             b"nul \x00 byte",
             b"esc \x1b]0;owned\x07 and \xc2\x9b31m c1",
             b"." + b"y" * (3 * 1024 * 1024),
             b"",
             b"last line"]
    return b"\n".join(lines) + b"\n"


RAW = raw_message()


def stuff(line):
    """One data line on the wire: dot-stuffed, CRLF-ended."""
    if isinstance(line, str):
        line = line.encode()
    return (b"." if line.startswith(b".") else b"") + line + b"\r\n"


def block(lines):
    return b"".join(stuff(x) for x in lines) + b".\r\n"


def text_row(r, depth=None):
    f = [r[k] for k in ("mid", "thread", "date", "list", "from",
                        "from_name", "subject", "summary")]
    if depth is not None:
        f.insert(0, str(depth))
    return "\t".join(f)


def json_line(obj):
    return json.dumps(dict({"v": 1}, **obj), ensure_ascii=False,
                      separators=(",", ":"))


class Handler(socketserver.StreamRequestHandler):
    def log(self, line):
        with LOG_LOCK, open(os.path.join(DIR, "requests.log"), "ab") as f:
            f.write(self.server.mode.encode() + b" " + line + b"\n")

    def send(self, data):
        self.wfile.write(data)
        self.wfile.flush()

    def handle(self):
        mode = self.server.mode
        greeting = GREETINGS[mode]
        if greeting is None and mode == "silent":
            time.sleep(30)
            return
        if greeting is None:      # trickle: a byte every 0.3 s
            for b in b"200 larch 1 ready\r\n":
                self.send(bytes([b]))
                time.sleep(0.3)
            return
        self.send(greeting)
        if mode in ("greet400", "close", "garbage", "overlong"):
            return
        self.json = False
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            line = line.rstrip(b"\r\n")
            self.log(line)
            if len(line) > 8192:
                self.send(b"506 line too long\r\n")
                continue
            if not self.command(line.decode("utf-8", "replace")):
                return

    def command(self, line):
        """Answers one request; False when the connection must end."""
        words = line.split()
        name = words[0].upper() if words else ""
        args = words[1:]
        if name == "QUIT":
            if self.server.mode == "linger":
                time.sleep(30)
                return False
            self.send(b"205 bye\r\n")
            return False
        if name == "FORMAT":
            if self.server.mode == "nojson":
                self.send(b"504 format must be text '%s'\r\n"
                          % args[0].encode())
                return True
            self.json = args[:1] == ["json"] or args[:1] == ["JSON"]
            self.send(b"206 %s 1\r\n" % (b"json" if self.json else b"text"))
            return True
        if name in ("SEARCH", "COUNT"):
            before, _, query = line.partition(" -- ")
            return self.search(name, before.split()[1:], query.strip())
        if name in ("THREAD", "SHOW", "RAW", "SUMMARY") and len(args) != 1:
            self.send(b"501 wrong argument count\r\n")
            return True
        if name in ("THREAD", "SHOW", "RAW", "SUMMARY") and \
                args[0] == "missing@x":
            self.send(b"430 no such message 'missing@x'\r\n")
            return True
        if name == "THREAD":
            self.send(b"230 3 messages follow\r\n")
            if self.json:
                rows = [json_line(dict(r, depth=i,
                                       parent=None if i == 0 else "p@x"))
                        for i, r in enumerate(ROWS)]
            else:
                rows = [text_row(r, i) for i, r in enumerate(ROWS)]
            self.send(block(rows))
        elif name == "SHOW" and args[0] == "huge@x":
            # larchd keeps 1 MiB of a message's text; JSON escapes make
            # its one line longer (a TAB or a quote two bytes, a control
            # character six), the text form's lines as long as they are.
            self.send(b"221 huge@x message follows\r\n")
            text = "\t\"\x01." * (300 * 1024)
            self.send(block([json_line({"mid": "huge@x", "text": text})]
                            if self.json else
                            ["From: Ann", "", text.replace("\x01", "x"),
                             "last"]))
        elif name == "SHOW":
            self.send(b"221 %s message follows\r\n" % args[0].encode())
            if self.json:
                self.send(block([json_line({"headers": {"from": "Ann"},
                                            "text": "I agree.",
                                            "quotes": ["> x"],
                                            "summary": "I agree."})]))
            else:
                self.send(block(SHOW_LINES))
        elif name == "RAW":
            self.send(b"220 %s raw message follows\r\n" % args[0].encode())
            self.send(block(RAW[:-1].split(b"\n")))
        elif name == "SUMMARY":
            self.send(b"231 root@x summary follows\r\n")
            self.send(block([json_line({"thread": "root@x"})] if self.json
                            else SUMMARY_LINES))
        elif name == "LISTS":
            self.send(b"215 2 lists follow\r\n")
            self.send(block([json_line({"name": x[0]}) for x in LISTS]
                            if self.json else
                            ["\t".join(x) for x in LISTS]))
        elif name == "STATS":
            if args == ["nosuch"]:
                self.send(b"430 no such list 'nosuch'\r\n")
                return True
            self.send(b"216 statistics follow\r\n")
            self.send(block([json_line(dict(STATS))] if self.json else
                            ["%s %s" % kv for kv in STATS]))
        else:
            self.send(b"500 unknown command '%s'\r\n" % name.encode())
        return True

    def search(self, name, opts, query):
        opts = [o.upper() for o in opts]
        limit = int(opts[opts.index("LIMIT") + 1]) if "LIMIT" in opts \
            else 20
        offset = int(opts[opts.index("OFFSET") + 1]) if "OFFSET" in opts \
            else 0
        if query.count('"') % 2:
            self.send(b"505 %d: unbalanced quote\r\n"
                      % query.encode().index(b'"'))
            return True
        if "QUOTES" in opts and query == "noquotes":
            self.send(b"503 QUOTES is not supported\r\n")
            return True
        canned = {"srverr": b"403 internal fault\r\n",
                  "qtimeout": b"432 query timed out\r\n",
                  "reopen": b"431 index being reopened, retry\r\n",
                  "garbage": b"hello there\r\n",
                  "wrongcode": b"216 statistics follow\r\n.\r\n",
                  "badlimit": b"504 LIMIT must be 1..1000 '5000'\r\n"}
        if query in canned:
            self.send(canned[query])
            return True
        if name == "COUNT":
            n = 0 if query == "nothing" else 7 if "THREADS" in opts else 42
            self.send(b"210 %d matches\r\n" % n)
            return True
        hits = [] if query == "nothing" else \
            ODD_ROWS if query == "oddids" else ROWS
        rows = hits[offset:offset + limit]
        lines = [json_line(r) if self.json else text_row(r) for r in rows]
        if query == "closemid":
            self.send(b"211 3 3 0 results follow\r\n" + stuff(lines[0]))
            return False
        if query == "overlong":
            self.send(b"211 1 1 0 results follow\r\n")
            self.send(b"z" * (2 * 1024 * 1024) + b"\r\n.\r\n")
            return True
        if query == "toomany":
            self.send(b"211 3 1 0 results follow\r\n" + block(lines))
            return True
        if query == "badrow":
            self.send(b"211 1 1 0 results follow\r\n" +
                      block(["just\tthree\tfields"]))
            return True
        if query == "stall":
            self.send(b"211 3 3 0 results follow\r\n" + stuff(lines[0]))
            time.sleep(30)
            return False
        self.send(b"211 %d %d %d results follow\r\n"
                  % (len(hits), len(rows), offset) + block(lines))
        return True


class Quiet:
    """Clients that hang up early are what the tests are about: no
    tracebacks for them."""
    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (BrokenPipeError,
                                          ConnectionResetError)):
            return
        super().handle_error(request, client_address)


class UnixServer(Quiet, socketserver.ThreadingMixIn,
                 socketserver.UnixStreamServer):
    daemon_threads = True


class TCPServer(Quiet, socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class TCP6Server(TCPServer):
    address_family = socket.AF_INET6


def start(server, mode):
    server.mode = mode
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    with open(os.path.join(DIR, "raw.expected"), "wb") as f:
        f.write(RAW)
    for mode in GREETINGS:
        path = os.path.join(DIR, mode + ".sock")
        if os.path.exists(path):
            os.unlink(path)
        start(UnixServer(path, Handler), mode)
    tcp4 = TCPServer(("127.0.0.1", 0), Handler)
    start(tcp4, "normal")
    with open(os.path.join(DIR, "tcp4.port"), "w") as f:
        f.write("%d\n" % tcp4.server_address[1])
    try:
        tcp6 = TCP6Server(("::1", 0), Handler)
        start(tcp6, "normal")
        with open(os.path.join(DIR, "tcp6.port"), "w") as f:
            f.write("%d\n" % tcp6.server_address[1])
    except OSError:
        pass                    # no IPv6 here: the test skips it
    open(os.path.join(DIR, "ready"), "w").close()
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
