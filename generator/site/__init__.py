"""The public static site: page models (pure), charts, open data, the MkDocs hook and Pagefind.

Layers, each replaceable: ``models_*`` turn a Corpus into plain dicts of *public* fields; ``render``
turns a page model into body HTML with the Jinja2 templates in ``site_templates/pages``;
``mkdocs_hook`` hands those bodies to MkDocs as in-memory pages; ``builder`` runs MkDocs and
Pagefind into a temporary directory, scans the result for private data and swaps it into place.
"""
