"""Analysis: service circles, their union, coverage and the 完整社区 checklist."""
