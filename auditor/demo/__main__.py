"""`python -m auditor.demo --variant inclusive|exclusionary [--port N]`: browse a variant by hand.

Serves in the foreground and prints the URL; Ctrl+C stops it and deletes its temporary data.
"""

from __future__ import annotations

import argparse
import signal
import sys

from auditor.demo.server import VARIANTS, DemoServer


def main(argv: list[str] | None = None) -> int:
    """Parse the options, serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m auditor.demo",
        description="Serve the demo participation platform (inclusive or exclusionary variant).",
    )
    parser.add_argument("--variant", choices=VARIANTS, default="inclusive")
    parser.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    options = parser.parse_args(argv)
    try:
        server = DemoServer(
            options.variant, host=options.host, port=options.port, log_requests=not options.quiet
        )
    except OSError as error:  # typically "Address already in use"
        print(f"Cannot listen on {options.host}:{options.port}: {error}", file=sys.stderr)
        return 2
    server.start()
    print(
        f"Demo platform ({options.variant}) at {server.base_url}/  (English: {server.base_url}/en/)"
    )
    print(f"Outgoing mails are written to {server.mailbox_dir}")
    if options.variant == "exclusionary":
        print(
            "Third-party hosts (*.test) need a resolver rule, e.g. chromium "
            '--host-resolver-rules="MAP *.test 127.0.0.1". The CAPTCHA answer is 12.'
        )
    print("Press Ctrl+C to stop.")
    sys.stdout.flush()
    # SIGTERM (kill, a process manager) must clean up like Ctrl+C: exit through `finally`.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
