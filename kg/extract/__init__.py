"""Claim extraction: rules as data (kg/data/rules/*.toml) over word classes (kg/data/lexicon.toml),
matched on the dependency parse, their roles bound by argument finders, modality decided in one place."""
from .engine import attempts, extract

__all__ = ["attempts", "extract"]
