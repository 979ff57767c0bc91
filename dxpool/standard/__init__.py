"""The 自治体DX外部人材スキル標準 (MIC, 2022-06) as versioned data, and explainable assessment against it.

Pure Python: no Django, no app imports (import-linter contract in pyproject.toml).
"""
