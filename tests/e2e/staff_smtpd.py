# A real SMTP server for the staff console's e2e test (Debian's aiosmtpd): stores every message in a maildir
# and refuses RCPT with 550 for the addresses listed, one per line, in the file given — a mailbox that does
# not take mail until the resident fixes it (the test then empties the file). Listens on a loopback port the
# kernel chooses and prints it on stdout.
#   python3 staff_smtpd.py <maildir> <refused-list-file>
import asyncio
import socket
import sys

from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP


class Refusing(Mailbox):
    def __init__(self, maildir, refused_file):
        super().__init__(maildir)
        self.refused_file = refused_file

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with open(self.refused_file, encoding='utf-8') as f:
            refused = {line.strip().lower() for line in f if line.strip()}
        if address.lower() in refused:
            return '550 5.2.1 mailbox unavailable'
        envelope.rcpt_tos.append(address)
        return '250 OK'


def main():
    handler = Refusing(sys.argv[1], sys.argv[2])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    sock.listen(64)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(loop.create_server(lambda: SMTP(handler), sock=sock))
    print(sock.getsockname()[1], flush=True)
    loop.run_forever()


main()
