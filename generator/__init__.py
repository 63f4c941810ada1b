"""Versus: a static site generator for "X vs Y" comparison pages of software and AI tools."""

__version__ = "0.1.0"
