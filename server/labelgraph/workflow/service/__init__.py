"""Writes of the workflow domain: tasks, assignments and item statuses.

Distribution is deterministic: the task's items in creation order (created_at, id) are cut into consecutive
blocks, one per assignee in the order given, of ⌊total × load / 100⌋ items each; the items left over by the
rounding go one each to the first assignees. With no loads given the split is equal (100 // n each, the
remainder to the first ones, as on the platform). Creating, adding, removing and redistributing are single
INSERT … SELECT / UPDATE … FROM statements over row numbers, so a 50,000-item task costs the same number of
statements as a 5-item one.
"""

from labelgraph.workflow.service.assignments import reassign, redistribute
from labelgraph.workflow.service.items import add_items, remove_items, set_status
from labelgraph.workflow.service.tasks import create_task, delete_task, update_task

__all__ = ["add_items", "create_task", "delete_task", "reassign", "redistribute", "remove_items", "set_status",
           "update_task"]
