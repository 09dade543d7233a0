"""kg: news articles in, a knowledge graph of entities and sourced claims out."""
__version__ = "0.1.0"
