"""A third-party Mattermost client against the double: Python's mattermostdriver (MIT).

Why: the double must serve clients mmdrill did not write. mattermostdriver logs in by e-mail,
reads the Token header, authenticates its WebSocket with an authentication_challenge and expects
hello (seq 0) before it considers the socket authenticated; it logs "Websocket authentification
failed" for any other first frame. This script does login, the web app's first-load reads,
a post, a read back and a WebSocket `posted` event, and prints one JSON summary line.

Usage: first_load.py <base url> <login id> <password> <channel id>   (exit 0: all steps passed)
"""

import asyncio
import json
import logging
import sys
from urllib.parse import urlparse

from mattermostdriver import Driver
from mattermostdriver.websocket import Websocket

FIRST_LOAD = [
    ("get", "/config/client", {"format": "old"}),
    ("get", "/license/client", {"format": "old"}),
    ("get", "/users/me", None),
    ("get", "/users/me/preferences", None),
    ("get", "/users/me/teams", None),
    ("get", "/users/me/teams/members", None),
    ("get", "/users/me/teams/unread", {"include_collapsed_threads": "true"}),
    ("get", "/users/me/channels", None),
    ("get", "/users/me/channel_members", {"page": "0", "per_page": "200"}),
    ("get", "/plugins/webapp", None),
]


class Failures(logging.Handler):
    """Collects the driver's warnings and errors (e.g. a failed WebSocket authentication)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


async def await_posted(driver, options, message, timeout):
    seen = {}
    ws = Websocket(options, driver.client.token)

    async def handler(raw):
        event = json.loads(raw)
        seen.setdefault("first", event.get("event") or "reply")
        if event.get("event") == "hello" and "posted" not in seen:
            seen["hello"] = True
            await asyncio.to_thread(driver.posts.create_post, {"channel_id": options["channel_id"], "message": message})
        if event.get("event") == "posted":
            post = json.loads(event["data"]["post"])
            if post["message"] == message:
                seen["posted"] = True
                ws.disconnect()

    options = {**options, "keepalive": False}
    ws.options = options
    try:
        await asyncio.wait_for(ws.connect(handler), timeout)
    except asyncio.TimeoutError:
        pass
    return seen


def main():
    base, login_id, password, channel_id = sys.argv[1:5]
    url = urlparse(base)
    failures = Failures()
    logging.getLogger("mattermostdriver").addHandler(failures)
    logging.getLogger("mattermostdriver.websocket").addHandler(failures)
    options = {
        "url": url.hostname,
        "port": url.port,
        "scheme": url.scheme,
        "login_id": login_id,
        "password": password,
        "basepath": "/api/v4",
        "verify": False,
        "timeout": 5,
        "debug": False,
    }
    driver = Driver(options)
    me = driver.login()
    summary = {"user": me["id"], "calls": {}}
    for method, path, params in FIRST_LOAD:
        getattr(driver.client, method)(path, params=params)
        summary["calls"][path] = "ok"
    post = driver.posts.create_post({"channel_id": channel_id, "message": "from python"})
    posts = driver.posts.get_posts_for_channel(channel_id)
    summary["read_back"] = post["id"] in posts["order"]
    ws_options = {**driver.options, "channel_id": channel_id}
    seen = asyncio.run(await_posted(driver, ws_options, "python over the socket", 10))
    summary["ws_first"] = seen.get("first")
    summary["ws_posted"] = bool(seen.get("posted"))
    summary["driver_warnings"] = failures.messages
    print(json.dumps(summary))
    ok = summary["read_back"] and summary["ws_posted"] and seen.get("first") == "hello" and not failures.messages
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
