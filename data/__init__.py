"""The bundled sample data: the articles, their curation and the project built from them."""
