"""Repository workflow logic called by CI: append-only checks, the drand relay client, CODEOWNERS,
the draw registry's Git side. The GitHub workflow files only call the ``python -m generator``
commands built on these modules. Reports (合规, 总结) live in ``generator.reports``."""
