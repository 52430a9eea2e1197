"""Published figures and the documents built from them: ``figures`` (every count and rate, defined
once), the 合规 report (``compliance``, ``report_text``), the annual summary (``summary``), the 统计
and home series (``stats``), static SVG charts and terminal tables. Reads the Corpus and the rules;
the site and the CLI read it; it imports neither."""
