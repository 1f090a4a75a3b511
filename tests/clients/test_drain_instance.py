"""The EBS post's `drain-instance.sh`, unmodified (tests/clients/drain-instance.sh), run by real
bash with the real `aws` program of the virtualenv and Debian's `jq` against
`placement endpoint`, found through AWS_ENDPOINT_URL_ECS as an AWS CLI user would point it at
any endpoint. The post's steps before it run as the post writes them: register the task
definition and create the service, each with `$(aws ... | jq -r ...)`."""

import json
import shutil
import subprocess
import unittest

from support import AWS, CLIENTS, SCENARIOS, Endpoint, client_env

SCENARIO = SCENARIOS / "ebs-cluster.json"
SEED = 7
REGION = "us-west-2"
CLUSTER = "rexray-demo"

# Step 3 and step 4 of the post ("Register the task definition and extract the task definition
# ARN", "Create the MySQL service"), then step 6: `./drain-instance.sh`. The post's JSON files
# are tests/scenarios/mysql-taskdef.json and mysql-svcdef.json with its variables filled in.
POST = """
set -e
TaskDefinitionArn=$(aws ecs register-task-definition \\
--cli-input-json 'file://mysql-taskdef.json' \\
| jq -r .taskDefinition.taskDefinitionArn)

SvcDefinitionArn=$(aws ecs create-service \\
--cli-input-json file://mysql-svcdef.json \\
| jq -r .service.serviceArn)
echo "Service [$SvcDefinitionArn]"

export TaskDefinitionArn
cp "$DRAIN_SCRIPT" ./drain-instance.sh
chmod +x drain-instance.sh
./drain-instance.sh
"""


class DrainInstance(unittest.TestCase):
    def test_drain_instance_sh_runs_unmodified(self):
        self.assertTrue(shutil.which("jq"), "jq is missing (cargo xtask test installs Debian's jq)")
        with Endpoint(SCENARIO, SEED) as endpoint:
            env = client_env(REGION, endpoint.url)
            env.update(AWSRegion=REGION, ECSClusterName=CLUSTER, DRAIN_SCRIPT=str(CLIENTS / "drain-instance.sh"))
            # The post's files sit beside the script it writes, so run it in a scratch copy of them.
            work = CLIENTS.parent.parent / "target" / "clients-drain-instance"
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            for name in ("mysql-taskdef.json", "mysql-svcdef.json"):
                shutil.copy(SCENARIOS / name, work / name)
            run = subprocess.run(["bash", "-c", POST], cwd=work, env=env, capture_output=True, text=True, timeout=120)
            self.assertEqual(run.returncode, 0, f"{run.stdout}\n{run.stderr}\n" + "\n".join(endpoint.log))
            out = run.stdout
            arn = f"arn:aws:ecs:{REGION}:123456789012"
            self.assertIn(f"Region [{REGION}]", out)
            self.assertIn(f"Task Definition [{arn}:task-definition/mysql:1]", out)
            self.assertRegex(out, rf"Task ARNs \[{arn}:task/{CLUSTER}/[0-9a-f]{{32}}\]")
            self.assertIn(f"Container Instance ARNs [{arn}:container-instance/{CLUSTER}/ebs-node-1]", out)
            drained = json.loads(out.split("DRAINING Instances\n", 1)[1])
            self.assertEqual(drained["failures"], [])
            self.assertEqual(
                [(i["containerInstanceArn"].rsplit("/", 1)[1], i["status"]) for i in drained["containerInstances"]],
                [("ebs-node-1", "DRAINING")],
            )
            for operation in ("ListTasks", "DescribeTasks", "UpdateContainerInstancesState"):
                self.assertIn(f"endpoint: {operation} 200", endpoint.log)

            # As the post says: the service scheduler stopped the task on the draining instance
            # and started one on the other instance with the plugin in the volume's zone.
            aws = [AWS, "ecs", "--region", REGION]
            listed = subprocess.run(
                aws + ["list-tasks", "--cluster", CLUSTER, "--service-name", "mysql-svc", "--query", "taskArns", "--output", "text"],
                env=env, capture_output=True, text=True, check=True,
            ).stdout.split()
            described = subprocess.run(
                aws + ["describe-tasks", "--cluster", CLUSTER, "--tasks", *listed,
                       "--query", "tasks[].containerInstanceArn", "--output", "text"],
                env=env, capture_output=True, text=True, check=True,
            ).stdout.split()
            self.assertEqual([d.rsplit("/", 1)[1] for d in described], ["ebs-node-2"])
            self.assertEqual(endpoint.stop(), 0)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
