"""Evaluating one person: reading a record into facts, running the rules, the result values.

``Evaluator(policy).evaluate(record)`` is what ``Policy.evaluate`` runs. Nothing here reads YAML
or JSON Schema: a policy is loaded by ``contribpolicy.format`` and handed in as a value.
"""

from contribpolicy.engine.evaluation import Evaluator

__all__ = ["Evaluator"]
