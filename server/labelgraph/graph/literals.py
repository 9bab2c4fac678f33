"""A validation rule for values written in the query document itself, checked as jsonvalues.py checks those
that come as JSON: text without NUL characters or lone surrogates (a String argument is stored as it is, and
PostgreSQL refuses NUL), and finite numbers (``1e400`` parses as infinity). Values inside a JSON argument are
left to the JSON scalar, which checks them with the rest of the value (graph/scalars.py)."""

from __future__ import annotations

import math

from graphql import FloatValueNode, GraphQLError, StringValueNode, ValidationRule, get_named_type

from labelgraph.jsonvalues import TEXT_RULE, text_problem


class StorableLiterals(ValidationRule):
    def _typed(self) -> bool:
        """The value is a String/ID/Float/enum… argument or field, not (part of) a JSON value."""
        named = get_named_type(self.context.get_input_type())
        return named is not None and named.name != "JSON"

    def enter_string_value(self, node: StringValueNode, *_args) -> None:
        if self._typed() and (problem := text_problem(node.value)):
            self.report_error(GraphQLError(f"the string holds {problem}; {TEXT_RULE}", node))

    def enter_float_value(self, node: FloatValueNode, *_args) -> None:
        if self._typed() and not math.isfinite(float(node.value)):
            self.report_error(GraphQLError(f"the number {node.value} is beyond the range of a Float (±1.8e308)",
                                           node))
