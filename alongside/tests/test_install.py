"""What an installed copy needs: data beside where it runs, and a link to its source."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from alongside.lib import secretkey
from alongside.test import BaseTestCase


def test_the_data_folder_is_data_in_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert secretkey.data_dir() == tmp_path.resolve() / "data"
    monkeypatch.setenv("DATA_DIR", "elsewhere")
    assert secretkey.data_dir() == tmp_path.resolve() / "elsewhere"


def test_settings_put_the_data_folder_where_the_command_runs_not_in_the_package(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATA_DIR", "DATABASE_URL")}
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "from django.conf import settings as s; "
         "print(s.DATA_DIR); print(s.DATABASES['default']['NAME'])"],
        env={**env, "DJANGO_SETTINGS_MODULE": "alongside.settings"},
        cwd=tmp_path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    data_dir, database = done.stdout.splitlines()
    assert Path(data_dir) == tmp_path.resolve() / "data"
    assert Path(database).parent == tmp_path.resolve() / "data"
    assert (tmp_path / "data" / "secret_key").exists()


class SourceLinkTests(BaseTestCase):
    def test_every_page_links_to_the_source_code(self):
        for path in ("/", "/surgeries/", "/privacy/"):
            r = self.client.get(path)
            self.assertContains(
                r, '<a href="https://github.com/alongside-surgeries/alongside">Source code</a>',
                html=True,
            )  # fmt: skip

    @override_settings(SOURCE_URL="https://git.example.org/our-alongside")
    def test_a_site_running_its_own_changes_links_to_its_own_source(self):
        r = self.client.get("/privacy/")
        self.assertContains(r, 'href="https://git.example.org/our-alongside"')
