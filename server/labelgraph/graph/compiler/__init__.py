"""The query compiler: a query operation over the EntityMaps' fields, relations and connections becomes one
SQL statement per root field that builds the response JSON in the database (plan.py: selections → plan;
sql.py: plan → SQL per dialect with the caller's read predicates; execute.py: caches, the graphql-core executor
hook and the fallback to the resolver path)."""

from labelgraph.graph.compiler.execute import COMPILED_HEADER, COMPILER_HEADER, CompilingExecutionContext

__all__ = ["COMPILED_HEADER", "COMPILER_HEADER", "CompilingExecutionContext"]
