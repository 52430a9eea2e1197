"""双随机、一公开 platform: records, rules, verifiable draws and the public site.

The package is layered so that imports point one way only (see docs/architecture.md):
records -> rules -> draw (pure) -> site / intake -> cli.
"""

__version__ = "0.1.0"
