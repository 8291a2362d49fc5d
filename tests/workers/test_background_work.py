"""Background work runs in real worker processes through a real broker."""

import os
import subprocess
import sys

import pytest
from django.db import transaction

from annotations.models import Document
from annotations.services.documents import document_create
from tests.helpers import ROOT, manage, subprocess_env, wait_for

DEMO_TEXT = (ROOT / "annotations" / "fixtures" / "kz-ru-relations.ru.txt").read_text()


@pytest.mark.redis
def test_a_worker_consuming_from_redis_cuts_a_long_document_into_claims(
    celery_worker, project, reviewer
):
    with transaction.atomic():
        document = document_create(
            project=project, actor=reviewer, title="Long read", text=DEMO_TEXT, process=False
        )
        # Nothing is queued before the transaction commits.
        assert document.status == Document.Status.PENDING

    wait_for(lambda: Document.objects.get(pk=document.pk).status == Document.Status.READY)
    document.refresh_from_db()
    claims = list(document.claims.all())
    assert len(claims) >= 20
    assert all(document.text[c.start : c.end] == c.text for c in claims)


@pytest.mark.django_db(transaction=True)
def test_without_redis_a_worker_process_takes_tasks_through_the_filesystem(tmp_path, project):
    """The embedded default: no broker server, web and worker are separate processes."""
    from tests.factories import MembershipFactory

    user = MembershipFactory(project=project, role="reviewer").user
    env = subprocess_env()
    env.pop("REDIS_URL", None)
    env["FACTCHECK_DATA_DIR"] = str(tmp_path)

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--pool", "solo",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        script = (
            "from django.contrib.auth import get_user_model\n"
            "from annotations.models import Project\n"
            "from annotations.services.documents import document_create\n"
            f"user = get_user_model().objects.get(pk={user.pk})\n"
            f"project = Project.objects.get(pk={project.pk})\n"
            "text = open('annotations/fixtures/kz-ru-relations.ru.txt').read()\n"
            "doc = document_create(project=project, actor=user, title='Queued', text=text,"
            " process=False)\n"
            "print(doc.pk)\n"
        )
        result = manage("shell", "-c", script, env=env)
        assert result.returncode == 0, result.stderr.decode()
        document_id = int(result.stdout.split()[-1])

        wait_for(lambda: Document.objects.get(pk=document_id).status == Document.Status.READY)
        assert Document.objects.get(pk=document_id).claims.count() >= 20
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        if worker.returncode not in (0, -15) and os.environ.get("CI"):
            print(worker.stdout.read().decode(errors="replace"))
