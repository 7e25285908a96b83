"""Rewrite the stored metrics figures from the postmortems and action items."""

import time

from django.core.management.base import BaseCommand

from actions.services.metrics_figures import metrics_figures_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the stored daily figures /metrics/ reads (after a bulk load that bypassed "
        "the models' save(), or to check them)."
    )

    def handle(self, *args, **options):
        began = time.perf_counter()
        rows = metrics_figures_rebuild()
        self.stdout.write(
            f"Stored metrics figures rebuilt: {rows} rows in {time.perf_counter() - began:.1f} s."
        )
