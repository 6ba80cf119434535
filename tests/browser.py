"""A headless Chromium driven over the DevTools protocol, for the suite tests.

Chromium is started with --remote-debugging-pipe: it reads protocol messages
from its fd 3 and writes them to its fd 4, each a JSON object ended by a NUL
byte, so no websocket library is needed. One page target is attached in
"flat" mode; its commands carry the session id.
"""

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

# Debian's package installs the launcher here; scripts/lib.sh installs it.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

WINDOW = (1280, 900)


def _above(fd, lowest):
    """A duplicate of `fd` numbered `lowest` or more; `fd` is closed."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, lowest)
    os.close(fd)
    return moved


class ProtocolError(Exception):
    """A DevTools command answered an error."""


class Browser:
    """One headless Chromium with one page. Use as a context manager."""

    def __init__(self, timeout=30.0):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="clientele-chromium-")
        # to_browser: we write, Chromium reads (its fd 3);
        # from_browser: Chromium writes (its fd 4), we read.
        to_read, self.to_browser = os.pipe()
        self.from_browser, from_write = os.pipe()
        # Chromium's ends above fd 4, so that putting them on 3 and 4 cannot
        # overwrite one with the other.
        to_read, from_write = (_above(fd, 100) for fd in (to_read, from_write))
        flags = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-dev-shm-usage", "--no-first-run",
                 "--no-default-browser-check", "--disable-extensions",
                 "--disable-background-networking", "--disable-sync",
                 "--hide-scrollbars", "--mute-audio",
                 f"--user-data-dir={self.profile}",
                 f"--window-size={WINDOW[0]},{WINDOW[1]}",
                 "--remote-debugging-pipe", "about:blank"]
        # bash puts the pipe ends on fds 3 and 4 in the child (no preexec_fn:
        # the test process has gRPC's threads).
        redirect = (f'exec "$0" "$@" 3<&{to_read} 4>&{from_write} '
                    f'{to_read}<&- {from_write}>&-')
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", redirect, CHROMIUM] + flags,
            pass_fds=(to_read, from_write), stdin=subprocess.DEVNULL,
            stdout=self.log, stderr=self.log)
        os.close(to_read)
        os.close(from_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None
        try:
            target = self.command("Target.createTarget", url="about:blank",
                                  session=False)["targetId"]
            self.session = self.command("Target.attachToTarget", targetId=target,
                                        flatten=True, session=False)["sessionId"]
            self.command("Page.enable")
            self.command("Runtime.enable")
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.process.poll() is None:
            try:
                self.command("Browser.close", session=False, timeout=5)
            except (ProtocolError, OSError, TimeoutError):
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for fd in (self.to_browser, self.from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    # --- the protocol -------------------------------------------------------

    def command(self, method, session=True, timeout=None, **params):
        """Sends a command (to the page's session unless session=False) and
        returns its result; events that arrive meanwhile are kept."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise ProtocolError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def _read(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"chromium did not answer; log: {self.log_text()}")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if ready:
                chunk = os.read(self.from_browser, 1 << 20)
                if not chunk:
                    raise OSError(f"chromium closed the pipe; log: {self.log_text()}")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def log_text(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()[-3000:]

    # --- what the tests use -------------------------------------------------

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (JSON-able)."""
        result = self.command("Runtime.evaluate", expression=expression,
                              returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise ProtocolError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def navigate(self, url):
        """Opens `url` and waits until the page that ends up there (after any
        redirects) has loaded; returns its URL."""
        self.events.clear()
        result = self.command("Page.navigate", url=url)
        if result.get("errorText"):
            raise ProtocolError(f"{url}: {result['errorText']}")
        return self.wait_loaded()

    def click(self, selector):
        """Clicks the first element matching `selector` (a link or a submit
        button) and waits for the page it leads to; returns its URL."""
        self.events.clear()
        found = self.evaluate(f"(() => {{ const e = document.querySelector("
                              f"{json.dumps(selector)}); if (!e) return false; "
                              f"e.dispatchEvent(new MouseEvent('click', "
                              f"{{bubbles: true, cancelable: true}})); "
                              f"return true; }})()")
        if not found:
            raise AssertionError(f"nothing matches {selector}")
        return self.wait_loaded()

    def wait_loaded(self):
        """Waits for the page's next load event; returns the page's URL."""
        deadline = time.monotonic() + self.timeout
        while not any(e["method"] == "Page.loadEventFired" for e in self.events):
            message = self._read(deadline)
            if "method" in message:
                self.events.append(message)
        self.events.clear()
        return self.evaluate("location.href")

    def text(self, selector="body"):
        """The visible text of the first element matching `selector` ('' if none)."""
        return self.evaluate(f"(document.querySelector({json.dumps(selector)}) || "
                             f"{{innerText: ''}}).innerText")

    def count(self, selector):
        return self.evaluate(f"document.querySelectorAll({json.dumps(selector)}).length")

    def screenshot(self, path):
        """Saves the viewport as a PNG."""
        data = self.command("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path
