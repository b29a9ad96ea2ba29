"""The rule set: importing this package registers every rule in ``REGISTRY``."""

from addin.domain.rules import (  # noqa: F401  (imported to register their rules)
    assembly,
    documents,
    indicators,
    inventory,
    members,
    organisations,
    plans,
    reports,
    roadmap,
    schedule,
    seguimiento,
    sessions,
)
from addin.domain.rules.base import REGISTRY, Context, Rule

__all__ = ["REGISTRY", "Context", "Rule"]
