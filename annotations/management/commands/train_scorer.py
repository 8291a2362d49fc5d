"""``manage.py train_scorer [--output PATH] [--cross-validate]``.

Fits the check-worthiness and kind model again from the labelled data shipped in the
repository (ClaimBuster's sentences and the project's annotated corpus) and writes it
as JSON, by default over the model the extraction uses. ``--cross-validate`` first
prints out-of-fold figures for each part of the data.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from annotations.extraction.learned import MODEL_PATH


class Command(BaseCommand):
    help = _("Fit the check-worthiness and kind model from the labelled data and save it.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            default=MODEL_PATH,
            help=_("Where to write the model (default: the one extraction uses)."),
        )
        parser.add_argument(
            "--cross-validate",
            action="store_true",
            help=_("Print cross-validated figures for each part of the data first."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from annotations.extraction import training

        output: Path = options["output"]
        if not output.parent.is_dir():
            raise CommandError(_("No such folder: %(folder)s") % {"folder": output.parent})
        examples = training.training_examples()
        if options["cross_validate"]:
            for origin, figures in training.cross_validate(examples).items():
                self.stdout.write(
                    f"{origin}: {figures['sentences']} sentences, "
                    f"ROC-AUC {figures['roc_auc']:.3f}, "
                    f"fact precision {figures['precision']:.2f}, "
                    f"recall {figures['recall']:.2f}"
                )
        record = training.fit(examples)
        training.write(record, output)
        self.stdout.write(
            _("Model with %(count)d features written to %(path)s")
            % {"count": len(record["features"]), "path": output}
        )
