"""The declarative schema: field types that check themselves and export JSON Schema (``fields``),
and record kinds built from them (``kind``). ``kind`` imports ``fields``, never the reverse."""
