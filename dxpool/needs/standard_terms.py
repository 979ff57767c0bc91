"""What the skill standard in force says about a persona, in the shape a job description quotes and keeps.

A JD version stores this snapshot with the standard's version, so a JD keeps its meaning when a newer standard
is published. Pure Python (reads dxpool.standard only).
"""

from dxpool.standard.loader import load_standard


def persona_terms(persona: str, version: str | None = None) -> dict:
    """The standard's text for one persona: roles, skill items, desired levels/qualifications and experience."""
    standard = load_standard(version)
    p = standard.persona(persona)
    return {
        "standard_version": standard.version,
        "standard_title": standard.title,
        "standard_published": standard.published,
        "persona": p.name,
        "scope": p.scope,
        "roles": list(p.roles),
        "skills": [{"name": s.name, "category": s.category, "category_ja": s.category_ja,
                    "description": s.description} for s in p.skills],
        # The service designer's standard names no level or qualification (「—」).
        "requirement_text": p.requirement_text if p.requires_level_or_qualification else "",
        "levels": [lv.text for lv in p.levels],
        "qualifications": list(p.qualification_text),
        "experience_text": p.experience_text,
        "experiences": [e.text for e in p.experiences],
    }


def persona_skill_names(persona: str, version: str | None = None) -> list[str]:
    """Names of the persona's skill items, in the standard's order."""
    return [s.name for s in load_standard(version).persona(persona).skills]


def current_version() -> str:
    return load_standard().version
