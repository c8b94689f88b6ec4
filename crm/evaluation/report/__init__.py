"""Reports of an attempt: the data a report holds (data.py) and its renderings (PDF, CSV)."""
