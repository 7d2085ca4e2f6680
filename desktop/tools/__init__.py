"""Map tools: navigation, identify, select, measure and the edit tools."""
