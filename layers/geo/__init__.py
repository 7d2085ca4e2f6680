"""Geography: geodesy, local projections, GCJ-02, walking, street networks, the map view."""
