"""What the real-client tests share: the `placement` binary, a running `placement endpoint`,
and the environment the AWS CLI and boto3 need (dummy credentials: the endpoint does not check
signatures).

`cargo xtask test` (step `clients`) runs these tests with the virtualenv's Python after building
`placement`; PLACEMENT names the binary (default: target/debug/placement).
"""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = Path(__file__).resolve().parent
SCENARIOS = ROOT / "tests" / "scenarios"
PLACEMENT = os.environ.get("PLACEMENT", str(ROOT / "target" / "debug" / "placement"))
# The AWS CLI of the virtualenv running these tests (never one found elsewhere on PATH).
AWS = str(Path(sys.executable).parent / "aws")


def client_env(region, endpoint_url=None):
    """The environment of an AWS CLI run: dummy credentials, the region, no user config."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "PYTHONPATH"
    }
    env.update(
        AWS_ACCESS_KEY_ID="AKIDPLAYGROUND",
        AWS_SECRET_ACCESS_KEY="playground-secret",
        AWS_DEFAULT_REGION=region,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_PAGER="",
        AWS_EC2_METADATA_DISABLED="true",
    )
    env["PATH"] = str(Path(AWS).parent) + os.pathsep + env.get("PATH", "")
    if endpoint_url:
        env["AWS_ENDPOINT_URL_ECS"] = endpoint_url
    return env


def scenario_region(scenario):
    """The region of a scenario file's cluster (presets are in us-east-1)."""
    if str(scenario).startswith("preset:"):
        return "us-east-1"
    with open(scenario, encoding="utf-8") as handle:
        return json.load(handle)["cluster"]["region"]


class Endpoint:
    """`placement endpoint SCENARIO --port 0 --seed SEED`, stopped with SIGINT on exit."""

    def __init__(self, scenario, seed=None, extra=()):
        args = [PLACEMENT, "endpoint", str(scenario), "--port", "0"]
        if seed is not None:
            args += ["--seed", str(seed)]
        self.process = subprocess.Popen(
            args + list(extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
        )
        first = self.process.stdout.readline().rstrip("\n")
        prefix = "ECS endpoint: "
        if not first.startswith(prefix):
            self.process.kill()
            raise RuntimeError(f"placement endpoint printed {first!r}: {self.process.stderr.read()}")
        self.url = first[len(prefix):]
        self.log = []
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()

    def _read_log(self):
        for line in self.process.stderr:
            self.log.append(line.rstrip("\n"))

    def stop(self):
        """SIGINT, then the exit code (the endpoint exits 0 after a signal)."""
        if self.process.poll() is None:
            self.process.send_signal(2)
        code = self.process.wait(timeout=20)
        self._reader.join(timeout=5)
        self.process.stdout.close()
        self.process.stderr.close()
        return code

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        try:
            self.stop()
        finally:
            if self.process.poll() is None:
                self.process.kill()
