"""The map canvas: drawing layers, symbols, circles, the basemap and PNG export."""
