"""What the benchmarks' anchors (nginx_anchor.py, postfix_anchor.py) share: a server run by the
benchmark from a temporary directory of its own under the work directory, on a loopback port,
used as a context manager and removed with its directory afterwards, whatever happened.

Thread-safety: one instance per thread."""

import os
import shutil
import tempfile


class PrivateServer:
    NAME = "server"  # the temporary directory is NAME-anchor-XXXXXX

    def __init__(self, parent, port):
        self.parent = parent
        self.port = port
        self.prefix = None

    def _launch(self):
        """Writes the configuration under self.prefix and starts the server."""
        raise NotImplementedError

    def _shutdown(self):
        """Stops the server if it was started."""
        raise NotImplementedError

    def start(self):
        os.makedirs(self.parent, exist_ok=True)
        self.prefix = tempfile.mkdtemp(prefix=f"{self.NAME}-anchor-", dir=self.parent)
        try:
            self._launch()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self):
        try:
            self._shutdown()
        finally:
            if self.prefix is not None:
                shutil.rmtree(self.prefix, ignore_errors=True)
                self.prefix = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
