"""Helpers shared by several blueprints (no routes here): blueprints import this, not each other."""
