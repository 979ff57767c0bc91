"""Date formats per language (settings.FORMAT_MODULE_PATH): templates name a format, `date:"DATE_FORMAT"`, and
each language writes it its own way — 「2027年1月31日」 in Japanese, "31 January 2027" in English. Formats not
set here come from Django's own locale files."""
