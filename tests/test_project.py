"""The project's own promises: README and CI agree, every command explains itself."""

import re
from pathlib import Path

from click.testing import CliRunner

from miner.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    blocks = re.findall(r"```bash\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_ci_runs_the_readme_test_command():
    test_command = next(c for c in readme_commands() if "pytest" in c)
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test_command in ci_lines


def test_readme_has_a_demo_command():
    assert any("miner demo" in c for c in readme_commands())


def test_every_command_has_help_and_a_readme_section():
    readme = (ROOT / "README.md").read_text()
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help and len(command.help) > 20, f"{name} needs --help text"
        assert f"miner {name}" in readme, f"README needs a section for `miner {name}`"


def test_package_data_names_real_files_and_the_plugins_register_through_the_entry_point():
    """What a non-editable `pip install .` ships: every package-data pattern matches something, the
    served configuration is inside the package, and Datasette finds miner's plugins by entry point."""
    import importlib.metadata
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for package, patterns in project["tool"]["setuptools"]["package-data"].items():
        for pattern in patterns:
            assert list((ROOT / package.replace(".", "/")).glob(pattern)), (package, pattern)
    import fnmatch

    patterns = [f"{package.replace('.', '/')}/{pattern}" for package, ps in
                project["tool"]["setuptools"]["package-data"].items() for pattern in ps]
    files = [path.relative_to(ROOT).as_posix() for path in (ROOT / "miner").rglob("*")
             if path.is_file() and path.suffix not in (".py", ".pyc")]
    left_out = [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)]
    assert left_out == [], "data files inside miner/ the wheel would leave out"
    assert "version" in project["project"]["dynamic"] and "version" not in project["project"]
    plugins = project["project"]["entry-points"]["datasette"]
    from miner import publish

    registered_by_hand = {name for name in dir(publish) if name in ("workbench", "guard", "signin", "thread_view")}
    assert set(plugins.values()) == {f"miner.plugins.{name}" for name in registered_by_hand}
    installed = {e.value for e in importlib.metadata.entry_points(group="datasette")}
    assert set(plugins.values()) <= installed, "reinstall miner (pip install -e .) to register the plugins"

    assert publish.METADATA_FILE.parent == ROOT / "miner" and publish.METADATA_FILE.is_file()


def test_sql_lives_in_the_store_package_or_a_layer_its_docstring_names():
    """Where a table is read or written is found in one step: miner/store/, or one of the layers the
    store's docstring lists (the plugin's page queries, file checks before opening, erasure PRAGMAs)."""
    from miner import store

    allowed = {"pages.py", "faq_search.py", "answer_sources.py", "plugins/workbench.py", "plugins/thread_view.py",
               "access.py", "publish.py", "forget.py", "file_traces.py"}
    for name in allowed:
        assert f"miner.{name[:-3].replace('/', '.')}" in store.__doc__ or name == "publish.py"
    query = re.compile(r"\.(execute|executemany|query|rows_where)\(|\bdb\[\"")
    found = []
    for path in sorted((ROOT / "miner").rglob("*.py")):
        relative = path.relative_to(ROOT / "miner").as_posix()
        if relative.startswith("store/") or relative in allowed:
            continue
        found += [f"{relative}:{n}" for n, line in enumerate(path.read_text().splitlines(), 1) if query.search(line)]
    assert found == []
