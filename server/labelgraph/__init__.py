"""labelgraph — a GraphQL gateway for ML-data and annotation platforms."""

__version__ = "0.1.0"
