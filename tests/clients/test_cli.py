"""The blog posts' commands (tests/scenarios/*.sh) through the real AWS CLI against
`placement endpoint`, compared with the same commands through `placement run` on the same
scenario and seed.

The commands are the words `placement script` runs: the scripts hold the posts' commands as
published, and a few of them need the playground's declared repairs (typographic dashes, a
repeated flag, a line break without `\\`) that the real CLI would not make; `placement script`
prints every command as it ran it, quoted for a shell. Each command then runs twice:
- through the real `aws ecs ...` (its own argument parsing and shorthand, its own JSON
  output) against one endpoint serving the scenario (the CLI's driver is run in this process,
  as the `aws` script runs it: a process per command costs about 2 s here; test_drain_instance
  runs the `aws` program itself), and
- through `placement run SCENARIO --save STATE -- aws ecs ...`, one process per command, the
  state carried in the saved scenario;
and both must answer the same: the same JSON on stdout, or the same error. The seed makes
both deterministic, and the commands run in the same order, so the task IDs agree too.
Timestamps are compared as instants: the real CLI v1 prints them as they travel (seconds since
the epoch), `placement run` as AWS CLI v2 does (ISO 8601).
"""

import contextlib
import io
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest
from datetime import datetime, timezone
from pathlib import Path

from awscli.clidriver import create_clidriver

from support import PLACEMENT, SCENARIOS, Endpoint, client_env, scenario_region

# The scenario each script runs on; blog-cluster.json unless listed.
SCENARIO_OF = {
    "ebs-mysql.sh": "ebs-cluster.json",
    "efs-space.sh": "efs-cluster.json",
}
DEFAULT_SCENARIO = "blog-cluster.json"
SEED = 2016
TIMESTAMP_KEYS = {
    "connectivityAt", "createdAt", "deleteRequestedAt", "deregisteredAt", "executionStoppedAt",
    "expirationDate", "expiresAt", "finishedAt", "lastStartedAt", "lastStatusChange", "lastUpdated",
    "pullStartedAt", "pullStoppedAt", "registeredAt", "stabilityStatusAt", "startedAt", "stoppedAt",
    "stoppingAt", "updatedAt",
}


def script_commands(scenario, script):
    """The commands of a script as `placement script` runs them (after its repairs)."""
    result = subprocess.run(
        [PLACEMENT, "script", scenario, script.name, "--seed", str(SEED), "--keep-going"],
        cwd=SCENARIOS, capture_output=True, text=True,
    )
    commands, pending = [], None
    for line in result.stdout.splitlines():
        if pending is None and not line.startswith("$ "):
            continue
        pending = line[2:] if pending is None else pending + "\n" + line
        try:
            commands.append(shlex.split(pending))
            pending = None
        except ValueError:
            continue  # a quoted argument goes on over the next line
    return commands


def aws_cli(args, env):
    """Runs the real AWS CLI (the awscli package that `aws` starts) in this process, from
    tests/scenarios (for `file://`), with `env` as its environment: the `aws` script is
    `sys.exit(awscli.clidriver.main())`, and a new driver per command is what a new `aws`
    process builds, without paying Python's start-up and imports for each of the commands."""
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        os.environ.clear()
        os.environ.update(env)
        # awscli's import points AWS_DATA_PATH at its own data (as in any `aws` process).
        if "AWS_DATA_PATH" in saved_env:
            os.environ["AWS_DATA_PATH"] = saved_env["AWS_DATA_PATH"]
        os.chdir(SCENARIOS)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = create_clidriver().main(list(args))
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess(["aws"] + list(args), code, out.getvalue(), err.getvalue())


def instant(value):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def normalized(value, key=None):
    """JSON with timestamps as instants."""
    if isinstance(value, dict):
        return {k: normalized(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if key in TIMESTAMP_KEYS and isinstance(value, (str, int, float)):
        return instant(value)
    return value


def answer(result):
    """What a run answered: its JSON (or nothing), or its error line."""
    if result.returncode == 0:
        return ("ok", normalized(json.loads(result.stdout)) if result.stdout.strip() else None)
    lines = [l for l in result.stderr.splitlines() if l.startswith("An error occurred")]
    return ("error", lines[-1] if lines else result.stderr.strip().splitlines()[-1:])


class BlogCommands(unittest.TestCase):
    def test_scripts_answer_alike_through_the_real_cli_and_placement_run(self):
        scripts = sorted(SCENARIOS.glob("*.sh"))
        self.assertTrue(scripts)
        for script in scripts:
            with self.subTest(script=script.name):
                self.compare(script)

    def compare(self, script):
        scenario = SCENARIO_OF.get(script.name, DEFAULT_SCENARIO)
        commands = script_commands(scenario, script)
        self.assertTrue(commands, f"{script.name}: no commands")
        outcomes = compare_commands(self, script.name, scenario, commands)
        print(
            f"\n  {script.name}: {len(outcomes)} commands, {outcomes.count('ok')} answered alike, "
            f"{outcomes.count('error')} failed alike",
            file=sys.stderr,
        )
        self.assertIn("ok", outcomes, f"{script.name}: no command succeeded")


def compare_commands(test, label, scenario, commands):
    """Runs each command through the real CLI against one endpoint and through `placement run`
    (state carried by --save); asserts they answer alike; returns "ok" or "error" per command."""
    region = scenario_region(SCENARIOS / scenario)
    outcomes = []
    with tempfile.TemporaryDirectory() as scratch, Endpoint(SCENARIOS / scenario, SEED) as endpoint:
        state = Path(scratch) / "state.json"
        shutil.copy(SCENARIOS / scenario, state)
        env = client_env(region, endpoint.url)
        for words in commands:
            test.assertEqual(words[:2], ["aws", "ecs"], words)
            real = aws_cli(words[1:], env)
            simulated = subprocess.run(
                [PLACEMENT, "run", str(state), "--seed", str(SEED), "--save", str(state), "--"] + words,
                cwd=SCENARIOS, capture_output=True, text=True,
            )
            got = answer(real)
            test.assertEqual(
                got, answer(simulated),
                f"{label}: `{shlex.join(words)}`\n--- real CLI stderr:\n{real.stderr}\n"
                f"--- placement run stderr:\n{simulated.stderr}",
            )
            outcomes.append(got[0])
        test.assertEqual(endpoint.stop(), 0)
    return outcomes


class Shorthand(unittest.TestCase):
    """Shorthand as the real CLI parses it, beyond the posts' commands."""

    # One argument each, as the shell passes it (quotes already removed).
    ACCEPTED = [
        ["aws", "ecs", "run-task", "--task-definition", "nouvelleApp", "--placement-constraints",
         "type=memberOf,expression=attribute:ecs.instance-type == t2.small"],
        ["aws", "ecs", "run-task", "--task-definition", "nouvelleApp", "--count", "2", "--placement-strategy",
         "type=spread,field=attribute:ecs.availability-zone", "type=binpack,field=cpu"],
        ["aws", "ecs", "run-task", "--task-definition", "nouvelleApp", "--placement-constraints",
         'type="memberOf",expression="attribute:ecs.instance-type =~ t2.*"'],
        ["aws", "ecs", "put-attributes", "--attributes", "name=stack,value=prod,targetType=container-instance,targetId=a1-micro"],
        ["aws", "ecs", "list-attributes", "--target-type", "container-instance", "--attribute-name", "stack"],
    ]

    def test_shorthand_the_real_cli_accepts(self):
        outcomes = compare_commands(self, "shorthand", DEFAULT_SCENARIO, self.ACCEPTED)
        self.assertEqual(outcomes, ["ok"] * len(self.ACCEPTED))

    # Divergence 4 of issue #11: the real CLI splits an unquoted value at its comma and refuses
    # the list; the playground refuses it the same way.
    def test_a_comma_in_an_unquoted_value_is_refused_like_the_real_cli(self):
        words = ["aws", "ecs", "run-task", "--task-definition", "nouvelleApp", "--placement-constraints",
                 "type=memberOf,expression=attribute:ecs.instance-type in [t2.micro, t2.small]"]
        env = client_env(scenario_region(SCENARIOS / DEFAULT_SCENARIO), "http://127.0.0.1:9")
        real = aws_cli(words[1:], env)
        self.assertNotEqual(real.returncode, 0)
        self.assertIn("Invalid type for parameter placementConstraints[0].expression", real.stderr)
        simulated = subprocess.run(
            [PLACEMENT, "run", DEFAULT_SCENARIO, "--"] + words, cwd=SCENARIOS, capture_output=True, text=True
        )
        self.assertIn("Invalid type for parameter placementConstraints[0].expression", simulated.stderr)
        self.assertNotEqual(simulated.returncode, 0)


if __name__ == "__main__":
    unittest.main()
