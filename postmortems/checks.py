"""System checks of the postmortems app."""

from django.core import checks

from . import blame_compiled


@checks.register()
def blame_compiled_current(app_configs, **kwargs):
    """``postmortems.W010``: a compiled blame module that is not its source's (Python would
    import it instead of the source and run old code)."""
    return [
        checks.Warning(
            f"The blame reader's compiled module {problem}: Python would run the old code.",
            hint="Run `make compiled` (or `make clean-compiled` to run the sources).",
            id="postmortems.W010",
        )
        for problem in blame_compiled.problems()
    ]
