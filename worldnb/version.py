"""The worldnb version (bottom layer: file writers stamp it without importing the façade)."""

__version__ = "0.1.0"
