"""The manager dashboard (``/actions/``): filters, figures, the list, its cache and the
CSV export, one module each (docs/architecture.md)."""
