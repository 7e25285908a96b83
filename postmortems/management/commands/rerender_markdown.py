from django.core.management.base import BaseCommand

from postmortems.rerender import markdown_models, rerender_rows


class Command(BaseCommand):
    help = (
        "Render all stored Markdown again (postmortem sections, timeline, factors, comments, "
        "action item and Kaizen notes). Run it after changing the renderer or its allow-list."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        for model in markdown_models():
            rows, changed = rerender_rows(model, model.markdown_fields, batch_size=batch_size)
            self.stdout.write(f"{model._meta.label}: {changed} of {rows} rows re-rendered")
