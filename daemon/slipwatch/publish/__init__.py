"""Publishing the schedule: what people subscribe to or receive.

Calendar feeds, one per team and one of everything, served over HTTP by the
daemon and written to disk:

- ``feeds``: milestones (the read model of ``slipwatch.track.query``) and a
  feed's team in, the bytes of one iCalendar feed out; pure, so the same data
  at the same moment always gives the same bytes.
- ``ics``: iCalendar content lines (escaping, folding, CRLF).
- ``vtimezone``: VTIMEZONE components with yearly RRULEs, as Outlook needs them.
- ``tokens``: the secret per feed that its URL carries, kept in the store.
- ``http``: the small WSGI app and the waitress server the daemon runs it in
  (ETag, Last-Modified, conditional requests, HEAD).
- ``files``: atomic writes of feed files, for sites that serve them with nginx.
- ``publisher``: the glue the daemon and the CLI call: which feeds a config
  has, their URLs, rendering them all from the store, and keeping the server
  and the directory up to date.
"""
