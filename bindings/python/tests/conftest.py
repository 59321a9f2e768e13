"""Shared fixtures: the source root and the loaded bundles."""
import os
import pathlib

import pytest

import civrules

ROOT = pathlib.Path(os.environ.get("CIVRULES_SOURCE_ROOT", pathlib.Path(__file__).resolve().parents[3]))


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def guangzhou():
    return civrules.Policy.load(ROOT / "policies/cn/guangdong/guangzhou")


@pytest.fixture(scope="session")
def jinshi():
    return civrules.Policy.load(ROOT / "policies/cn/hunan/changde/jinshi")
