"""The one seam for speed: every piece of performance machinery lives here; domain code never imports it, only
the edge (wsgi.py, settings, the two hot views) does.

    sqlite/       the SQLite backend: write transactions queue for the write lock in the kernel (writer.py)
    writer.py     that queue: a thread lock, then flock() on a file beside the database
    grouped.py    many requests' writes in one transaction, for the two hot views (API create, public form)
    checkpointer  the write-ahead log copied back from a thread of each web process, off the write lock
    readgate      at most N reads computing at once per web process

docs/performance.md says what each piece was measured to gain.
"""
