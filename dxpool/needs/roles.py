"""Moved to dxpool.suggest.roles; this re-export keeps old imports working until the lead removes it."""

from dxpool.suggest.roles import (  # noqa: F401
    FACTS,
    MAPPING_FILE,
    MappingError,
    RoleSuggestion,
    Rule,
    RuleSet,
    load_mapping,
    roles_to_dict,
    suggest_roles,
)
