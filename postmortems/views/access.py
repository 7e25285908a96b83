"""How a view loads what the URL names, and what a refusal answers.

The policy (docs/architecture.md, "Permissions"): anything the user may not see answers
404, exactly like something that does not exist, so restricted work is never revealed.
Something the user sees but may not change answers 403. A page that exists only for
managers (team settings, themes) answers 404 to everybody else.
"""

from django.core.exceptions import PermissionDenied

from .. import permissions, selectors


def readable_postmortem(request, pk):
    """A postmortem the user may read; 404 for anything else."""
    return selectors.visible_postmortem_or_404(request.user, pk)


def editable_postmortem(request, pk):
    """404 when not visible, 403 when visible but not editable."""
    postmortem = readable_postmortem(request, pk)
    if not permissions.can_edit_postmortem(request.user, postmortem):
        raise PermissionDenied
    return postmortem
