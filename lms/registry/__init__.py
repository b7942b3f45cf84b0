"""The ministry registry: reviewers' list, records, eligibility, decisions, exports, snapshots."""
