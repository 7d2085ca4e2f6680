"""News articles: cleaning, extraction, placing on the map, and the bundled dataset build."""
