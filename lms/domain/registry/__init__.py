"""The ministry registry's pure rules: what a reviewer's filter means, and eligibility on a date."""
