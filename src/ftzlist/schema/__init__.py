"""Pydantic models for list files, vocabularies, declarations and decisions.

Everything loaded from files is strict (`extra="forbid"`) and frozen; JSON Schema for each is
exported by `ftzlist schema list|declaration|decision|vocabulary`.
"""
