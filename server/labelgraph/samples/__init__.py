"""Sample packages for the execution plane (importable by any worker: codebase IMPORT labelgraph.samples.…)."""
