"""Role suggestion: which personas and skill items of the standard a municipality's words and hearing call for.

- dxpool.suggest.text: from an issue text to personas, skill items and quoted reasons (SudachiPy, a vocabulary
  in data/suggestion_vocabulary.json).
- dxpool.suggest.roles: the issue text plus the hearing's facts (measures, steps, ひとり情シス …), through the
  mapping in data/measure_personas.json.

Pure Python: no Django, no ninja and no app (import-linter contract in pyproject.toml), so the web page, the
API and `dxpool suggest` share it and it runs without a database. Personas, their names and skill items come
from dxpool.standard (also pure); the one module read from an app, dxpool.needs.reference, is explained in
dxpool.suggest.roles.
"""
