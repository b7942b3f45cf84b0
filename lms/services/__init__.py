"""Services: transactions and persistence around the pure domain core."""
