"""xAPI export: an attempt's log as xAPI 1.0.3 statements, and their push to an LRS."""
