"""Identifier validation and normalisation shared by counting (`ftzlist count`) and discovery
(`ftzlist scan`): one place for each checksum and format rule."""
