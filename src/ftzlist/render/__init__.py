"""Renderings of decisions for people (terminal, Markdown); JSON is the model's own dump."""
