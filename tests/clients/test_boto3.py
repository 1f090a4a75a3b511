"""boto3 against `placement endpoint`: every operation the playground serves (the list comes
from `placement endpoint --list-operations`, so operations added to the command table are
covered as soon as they have a sample request in samples/), each answer parsed by botocore and
checked against the ECS service model's output shape, and the right exception classes for bad
input."""

import json
import re
import subprocess
import unittest

import boto3
import botocore.exceptions
from botocore.config import Config
from botocore import xform_name

from support import CLIENTS, PLACEMENT, Endpoint

SAMPLES = CLIENTS / "samples"
DEFAULT_SCENARIO = "preset:blog"
SEED = 11
REGION = "us-east-1"
SESSION = boto3.session.Session(
    aws_access_key_id="AKIDPLAYGROUND",
    aws_secret_access_key="playground-secret",
    region_name=REGION,
)


def operations():
    """The operations the endpoint serves, from the binary itself."""
    out = subprocess.run(
        [PLACEMENT, "endpoint", "--list-operations"], check=True, capture_output=True, text=True
    ).stdout
    return [line for line in out.splitlines() if line]


def ecs_client(endpoint, validate=True):
    """A boto3 ECS client for the endpoint that keeps each raw response body for inspection."""
    config = Config(retries={"max_attempts": 1}, parameter_validation=validate)
    client = SESSION.client("ecs", endpoint_url=endpoint.url, config=config)
    client.raw_bodies = []

    def keep_raw(http_response, **_):
        client.raw_bodies.append(http_response.content)

    client.meta.events.register("after-call.ecs", keep_raw)
    return client


def call(client, operation, request):
    return getattr(client, xform_name(operation))(**request)


PLACEHOLDER = re.compile(r"^\$setup\[(\d+)\]((?:\.\w+|\[\d+\])+)$")


def resolve(value, setup_responses):
    """`$setup[N].path[0].member` strings become that value of setup call N's response."""
    if isinstance(value, dict):
        return {k: resolve(v, setup_responses) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, setup_responses) for v in value]
    if isinstance(value, str):
        match = PLACEHOLDER.match(value)
        if match:
            current = setup_responses[int(match.group(1))]
            for key, index in re.findall(r"\.(\w+)|\[(\d+)\]", match.group(2)):
                current = current[key] if key else current[int(index)]
            return current
    return value


def shape_errors(value, shape, path):
    """Where a raw JSON response disagrees with the service model: members the shape lacks,
    values of the wrong type, strings outside an enum."""
    kind = shape.type_name
    wrong = [f"{path}: expected {kind}, got {type(value).__name__} {value!r}"]
    if kind == "structure":
        if not isinstance(value, dict):
            return wrong
        errors = []
        for key, item in value.items():
            if key not in shape.members:
                errors.append(f"{path}.{key}: not a member of {shape.name}")
            else:
                errors += shape_errors(item, shape.members[key], f"{path}.{key}")
        return errors
    if kind == "list":
        if not isinstance(value, list):
            return wrong
        return [e for i, item in enumerate(value) for e in shape_errors(item, shape.member, f"{path}[{i}]")]
    if kind == "map":
        if not isinstance(value, dict):
            return wrong
        return [e for k, item in value.items() for e in shape_errors(item, shape.value, f"{path}.{k}")]
    if kind == "string":
        if not isinstance(value, str):
            return wrong
        if shape.enum and value not in shape.enum:
            return [f"{path}: {value!r} is not one of {shape.name}'s values {shape.enum}"]
        return []
    if kind in ("integer", "long"):
        return [] if isinstance(value, int) and not isinstance(value, bool) else wrong
    if kind in ("double", "float"):
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else wrong
    if kind == "boolean":
        return [] if isinstance(value, bool) else wrong
    if kind == "timestamp":
        # JSON 1.1 sends timestamps as epoch seconds.
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else wrong
    return [] if isinstance(value, str) else wrong


class EveryOperation(unittest.TestCase):
    def test_every_operation_has_a_sample_request(self):
        served = set(operations())
        samples = {path.stem for path in SAMPLES.glob("*.json")}
        self.assertTrue(served, "placement endpoint --list-operations listed nothing")
        self.assertEqual(
            sorted(served - samples), [], "operations without a sample request in tests/clients/samples/"
        )
        # A sample may wait for its operation (kept for when the playground serves it), but it
        # must name an operation of the ECS API.
        model = SESSION.client("ecs", region_name=REGION).meta.service_model
        self.assertEqual(sorted(samples - set(model.operation_names)), [], "samples named after no ECS operation")

    def test_every_operation_through_boto3(self):
        model = SESSION.client("ecs", region_name=REGION).meta.service_model
        for operation in operations():
            with self.subTest(operation=operation):
                sample = json.loads((SAMPLES / f"{operation}.json").read_text(encoding="utf-8"))
                with Endpoint(sample.get("scenario", DEFAULT_SCENARIO), SEED) as endpoint:
                    client = ecs_client(endpoint)
                    setup = [call(client, op, request) for op, request in sample.get("setup", [])]
                    client.raw_bodies.clear()
                    parsed = call(client, operation, resolve(sample["request"], setup))
                    self.assertEqual(parsed["ResponseMetadata"]["HTTPStatusCode"], 200)
                    self.assertTrue(parsed["ResponseMetadata"]["RequestId"])
                    output = model.operation_model(operation).output_shape
                    raw = json.loads(client.raw_bodies[-1])
                    self.assertEqual(shape_errors(raw, output, operation), [], raw)
                    members = {k for k in parsed if k != "ResponseMetadata"}
                    if output.members:
                        self.assertTrue(members, f"{operation} answered no member: {raw}")
                    self.assertEqual(endpoint.stop(), 0, "\n".join(endpoint.log))


class Exceptions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.endpoint = Endpoint(DEFAULT_SCENARIO, SEED)
        cls.client = ecs_client(cls.endpoint)
        cls.unchecked = ecs_client(cls.endpoint, validate=False)

    @classmethod
    def tearDownClass(cls):
        cls.endpoint.stop()

    def assert_raises(self, exception, operation, request, client=None):
        client = client or self.client
        with self.assertRaises(exception) as caught:
            call(client, operation, request)
        metadata = caught.exception.response["ResponseMetadata"]
        self.assertEqual(metadata["HTTPStatusCode"], 400)
        self.assertTrue(metadata["RequestId"])
        self.assertTrue(caught.exception.response["Error"]["Message"])
        return caught.exception

    def test_modelled_exceptions(self):
        ex = self.client.exceptions
        self.assert_raises(ex.ClusterNotFoundException, "ListTasks", {"cluster": "production"})
        self.assert_raises(ex.ClientException, "RunTask", {"taskDefinition": "no-such-family"})
        self.assert_raises(ex.InvalidParameterException, "RunTask", {"taskDefinition": "nouvelleApp", "count": 11})
        self.assert_raises(ex.InvalidParameterException, "DescribeTasks", {"tasks": []})
        self.assert_raises(ex.ServiceNotFoundException, "UpdateService", {"service": "ghost", "desiredCount": 1})

    def test_requests_botocore_would_refuse(self):
        # With botocore's own checks off, the endpoint refuses what the service would.
        ex = self.unchecked.exceptions
        error = self.assert_raises(ex.InvalidParameterException, "RunTask", {"count": 1}, self.unchecked)
        self.assertIn("taskDefinition", error.response["Error"]["Message"])
        error = self.assert_raises(
            botocore.exceptions.ClientError, "RunTask", {"taskDefinition": "nouvelleApp", "count": "two"}, self.unchecked
        )
        self.assertEqual(error.response["Error"]["Code"], "SerializationException")

    def test_botocore_refuses_before_sending(self):
        with self.assertRaises(botocore.exceptions.ParamValidationError):
            self.client.run_task(count=1)

    def test_pagination(self):
        paginator = self.client.get_paginator("list_container_instances")
        pages = list(paginator.paginate(cluster="default", PaginationConfig={"PageSize": 5}))
        self.assertEqual([len(p["containerInstanceArns"]) for p in pages], [5, 5, 2])
        arns = [arn for p in pages for arn in p["containerInstanceArns"]]
        self.assertEqual(len(set(arns)), 12)


if __name__ == "__main__":
    unittest.main()
