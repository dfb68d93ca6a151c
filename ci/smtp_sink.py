#!/usr/bin/env python3
"""A local SMTP sink for the tests of mail to citizens (邮件通知).

Listens on HOST:PORT (default 127.0.0.1:2525) with aiosmtpd and appends every message it
receives to OUTBOX as one JSON line: the envelope's sender and recipients and the mail's
From, To, Subject and plain-text body, decoded (RFC 2047 headers, base64 or
quoted-printable bodies), so a test can compare them with what it sent.

    python3 ci/smtp_sink.py 127.0.0.1:2525 /tmp/jiesu-smtp-outbox.jsonl
"""

import asyncio
import email
import email.policy
import json
import sys

from aiosmtpd.controller import Controller


class Outbox:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        mail = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        part = mail.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(mail["From"]),
            "to": str(mail["To"]),
            "subject": str(mail["Subject"]),
            "body": part.get_content() if part is not None else "",
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 Message accepted for delivery"


def main():
    listen = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:2525"
    path = sys.argv[2] if len(sys.argv) > 2 else "/tmp/jiesu-smtp-outbox.jsonl"
    host, port = listen.rsplit(":", 1)
    controller = Controller(Outbox(path), hostname=host, port=int(port))
    controller.start()
    print(f"SMTP sink on {listen}, writing to {path}", flush=True)
    try:
        asyncio.run(asyncio.Event().wait())
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
