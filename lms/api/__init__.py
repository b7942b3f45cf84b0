"""The read-only registry API under /api/v1/registry, with bearer tokens and an OpenAPI document."""
