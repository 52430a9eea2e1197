"""The draw registry's I/O: turn records into engine inputs, store requests, entropy and results.

``generator/draw`` is pure; this package is where files, dates and the county's records meet it:

* ``facts``   — per-object history facts (recent inspections, recognised results, annual burden);
* ``request`` — build a request and its frozen pools from a task;
* ``store``   — read and write the files of a draw folder, deterministically;
* ``run``     — run due draws and verify every published draw.
"""
