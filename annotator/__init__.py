"""annotator: label spans of news articles on the desktop."""

__version__ = "0.1.0"
