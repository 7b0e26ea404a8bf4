"""The generated files of the command-line tests, written once per session."""

import pytest

import cli_files


@pytest.fixture(scope="session")
def datasets(tmp_path_factory):
    """name -> `cli_files.DataSet` (see `cli_files.make_datasets`)."""
    return cli_files.make_datasets(tmp_path_factory.mktemp("cli-data"))
