"""The pure core: course loading, rendering, answer normalisation (no Flask, no database)."""
