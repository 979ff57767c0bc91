"""Moved to dxpool.suggest.text; this re-export keeps old imports working until the lead removes it."""

from dxpool.suggest.text import (  # noqa: F401
    DEFAULT_VOCABULARY,
    FORMAT,
    PERSONA_SKILLS,
    Entry,
    Evidence,
    PersonaSuggestion,
    Suggestion,
    Vocabulary,
    VocabularyError,
    load_vocabulary,
    suggest,
    suggest_many,
    suggestion_to_dict,
    warm_up,
)
