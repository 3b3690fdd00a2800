"""An ``http.client`` connection over a socket it is given (one :mod:`docfetch.net.preconnect` opened).

For the core's own small requests that do not need the HTTP layer (the per-RFC JSON behind a
note, :mod:`docfetch.knowledge.prefetch`). It never opens a connection of its own: once the
given socket is closed (the server ended keep-alive), requests fail with OSError.
"""

from __future__ import annotations

import http.client


class GivenSocketConnection(http.client.HTTPConnection):
    """HTTP/1.1 over the socket put in ``sock`` (TLS already done, through a proxy or not).

    ``already_sent``: the first request made is on the wire already (sent early by the
    preconnector): it is recorded as sent, and nothing is written.
    """

    already_sent = False

    def connect(self) -> None:
        raise OSError("the connection was closed")

    def send(self, data: object) -> None:
        if not self.already_sent:
            super().send(data)  # type: ignore[arg-type]

    def getresponse(self) -> http.client.HTTPResponse:
        self.already_sent = False
        return super().getresponse()
