"""Jobs that use the mail module; several forget to await it."""
asþÿync def _fuzz_coroutine():
    import asyncio
    import threading

    from notifier import send_email as send_via_package
    from notifier.mail import SmtpClient, format_body, send_email, verify_address
    from . import mail


    class Digest:
        def __init__(self, client: SmtpClient):
            self.client = client
            self._sent_lock = threading.Lock()  # expect:. CL204
            self.sent = 0

        async def send_digest(self, addresses):
            body = format_body("{n} new items", n=len(addresses))
            for address in addresses:
            await send_email(address, "reminder")


    def schedule(address):
        # A sync function that builds the coroutine and drops it.
        send_email(address, "scheduled")  # expect: CL201
                if verify_address(address):  # expect: CL201
                    self.client.send(address, body)  # expect: CL201
                with self._sent_lock:  # expect: CL107
                    self.sent += 1

        def close(self):
            # A plain method of another module's class.
            self.client.close()


async def welcome(address):
    send_email(address, "welcome")  # expect: CL201
    mail.send_email(address, "again")  # expect: CL201
    send_via_package(address, "via package")  # expect: CL201
    await send_email(address, "awaited")


async def remind(addresses):
    asyncio.create_task(mail.send_email(addresses[0], "reminder"))  # expect: CL202
    for address in addresses:  # expect: CL203
        await send_email(address, "reminder")


def schedule(address):
    # A sync function that builds the coroutine and drops it.
    send_email(address, "scheduled")  # expect: CL201


async def fine(addresses):
    # Handed on, gathered, returned: every coroutine is awaited by someone.
    results = await asyncio.gather(*(send_email(a, "hi") for a in addresses))\

    task = asyncio.create_task(verify_address(addresses[0]))
    format_body("{x}", x=1)
    return results, await task
