"""Writes of the ontology domain: recipes, ontologies, the label tree and attribute definitions, one module each
(what they share in ``common``), and ``checks``: validating annotations against a dataset's recipe. Every write
takes the caller's UnitOfWork and one typed command from ``labelgraph.ontology.commands``."""

from labelgraph.ontology.service.attributes import delete_attributes, upsert_attributes
from labelgraph.ontology.service.checks import LabelIndex, label_indexes
from labelgraph.ontology.service.common import normalize_color
from labelgraph.ontology.service.labels import add_labels, delete_labels, move_label, update_labels
from labelgraph.ontology.service.ontologies import create_ontology, delete_ontology, update_ontology
from labelgraph.ontology.service.recipes import (
    check_recipe,
    create_default_recipe,
    create_recipe,
    delete_recipe,
    update_recipe,
)

__all__ = [
    "LabelIndex", "add_labels", "check_recipe", "create_default_recipe", "create_ontology", "create_recipe",
    "delete_attributes", "delete_labels", "delete_ontology", "delete_recipe", "label_indexes", "move_label",
    "normalize_color",
    "update_labels", "update_ontology", "update_recipe", "upsert_attributes",
]
