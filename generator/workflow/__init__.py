"""Repository workflow logic called by CI: append-only checks, the drand relay client, CODEOWNERS,
the compliance report (合规) and the annual summary (总结). The GitHub workflow files only call the
``python -m generator`` commands built on these modules."""
