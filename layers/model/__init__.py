"""The data model: layers, the project, its schema, categories, symbols and events."""
