"""Reviewer pages. Thin: reads go through selectors, writes through services."""

from .claims import (
    claim_boundary_view,
    claim_comment,
    claim_edit,
    claim_final_verdict,
    claim_merge_view,
    claim_panel,
    claim_source_add,
    claim_sources,
    claim_split_view,
    claim_verdict,
    claim_workflow,
    source_accept,
    source_refetch_view,
)
from .documents import (
    document_assign,
    document_detail,
    document_export,
    document_list,
    document_new,
    document_status,
    project_list,
    rating_styles,
)
from .queue import my_queue

__all__ = [
    "claim_boundary_view",
    "claim_comment",
    "claim_edit",
    "claim_final_verdict",
    "claim_merge_view",
    "claim_panel",
    "claim_source_add",
    "claim_sources",
    "claim_split_view",
    "claim_verdict",
    "claim_workflow",
    "document_assign",
    "document_detail",
    "document_export",
    "document_list",
    "document_new",
    "document_status",
    "my_queue",
    "project_list",
    "rating_styles",
    "source_accept",
    "source_refetch_view",
]
