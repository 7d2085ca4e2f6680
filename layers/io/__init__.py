"""Reading and writing files: the project store, imports, text encodings, recovery."""
