"""The data layer: schema, imports, releases, figure computations and cached access."""
