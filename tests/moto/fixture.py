"""Fixture CLI for the end-to-end tests against moto's server, with IAM signature checking on.

Run with the venv's python (`cargo xtask test` creates target/moto-venv). The Rust harness
(`tests/src/moto.rs`) uses `serve`; the other subcommands work standalone too, for poking at a
running moto by hand. Each subcommand prints one JSON document on one line to stdout.

    fixture.py serve
        Starts moto's server in this process on 127.0.0.1 (a free port chosen by the OS) with
        INITIAL_NO_AUTH_ACTION_COUNT=3, creates an IAM user with an allow-everything inline
        policy and an access key (those are the 3 unauthenticated requests; every later request
        must be SigV4-signed with a key moto knows, and is authorized against the user's
        policies), and prints {"endpoint", "access_key_id", "secret_access_key"}.
        Then it reads commands from stdin, one per line, in the same syntax as the standalone
        subcommands below (without --endpoint, signed with the new user's key unless
        --access-key-id / --secret-access-key say otherwise), and answers each with one JSON
        line. It exits when stdin closes, so the server never outlives the test that started it.

    fixture.py --endpoint http://127.0.0.1:PORT create-user
    fixture.py --endpoint URL [--access-key-id ID --secret-access-key KEY] create-repo NAME
    fixture.py --endpoint URL ... put-image NAME        (a minimal manifest, tag `latest`)
    fixture.py --endpoint URL ... describe-repo NAME    -> {"exists": true|false}
    fixture.py --endpoint URL ... delete-repo NAME [--force]
        -> the raw HTTP response: {"status", "headers" (lower-cased), "body", "error_code"}
    fixture.py --endpoint URL ... create-role NAME
        -> {"arn"}: an IAM role anyone may assume, with an allow-everything inline policy (what
        temporary credentials from AssumeRole / AssumeRoleWithWebIdentity for it are allowed)
    Keys default to AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.

A failed AWS call prints {"error": CODE, "message": ..., "status": HTTP_STATUS} (exit status 1
standalone; in serve mode the process keeps going).
"""

import argparse
import json
import os
import shlex
import sys

REGION = "us-east-1"
USER_NAME = "aws-thin-e2e"
# Requests `create-user` sends before the key exists: CreateUser, PutUserPolicy, CreateAccessKey.
CREATE_USER_REQUESTS = 3
ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
# A minimal Docker image manifest (schema 2); moto needs valid JSON with a mediaType.
MANIFEST = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {
        "mediaType": "application/vnd.docker.container.image.v1+json",
        "size": 2,
        "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
    },
    "layers": [],
}


class Failure(Exception):
    """An AWS call failed; carries the JSON document to print."""

    def __init__(self, doc):
        super().__init__(doc)
        self.doc = doc


_clients = {}


def client(service, args):
    """A boto3 client for `service` with the keys in `args`, cached (serve mode reuses them)."""
    key = (service, args.endpoint, args.access_key_id, args.secret_access_key)
    if key not in _clients:
        _clients[key] = new_client(service, args)
    return _clients[key]


def new_client(service, args):
    import boto3
    import botocore.config

    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=args.endpoint,
        aws_access_key_id=args.access_key_id or "unauthenticated",
        aws_secret_access_key=args.secret_access_key or "unauthenticated",
        # One attempt: a failure surfaces at once, and a retry would use up moto's
        # unauthenticated-request budget during create-user.
        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def call(fn, **kwargs):
    import botocore.exceptions

    try:
        return fn(**kwargs)
    except botocore.exceptions.ClientError as e:
        raise Failure(
            {
                "error": e.response.get("Error", {}).get("Code"),
                "message": e.response.get("Error", {}).get("Message"),
                "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            }
        ) from e


def create_user(args):
    iam = client("iam", args)
    call(iam.create_user, UserName=USER_NAME)
    call(
        iam.put_user_policy,
        UserName=USER_NAME,
        PolicyName="allow-all",
        PolicyDocument=json.dumps(ADMIN_POLICY),
    )
    key = call(iam.create_access_key, UserName=USER_NAME)["AccessKey"]
    return {"access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}


def create_repo(args):
    ecr = client("ecr", args)
    return call(ecr.create_repository, repositoryName=args.name)["repository"]


def put_image(args):
    ecr = client("ecr", args)
    image = call(
        ecr.put_image,
        repositoryName=args.name,
        imageManifest=json.dumps(MANIFEST),
        imageTag="latest",
    )["image"]
    return {"repositoryName": image["repositoryName"], "imageId": image["imageId"]}


def describe_repo(args):
    ecr = client("ecr", args)
    try:
        call(ecr.describe_repositories, repositoryNames=[args.name])
    except Failure as f:
        if f.doc["error"] == "RepositoryNotFoundException":
            return {"exists": False}
        raise
    return {"exists": True}


def delete_repo(args):
    """Send DeleteRepository and report the raw HTTP response, whatever it is."""
    import botocore.exceptions

    ecr = client("ecr", args)
    captured = {}

    def capture(http_response, **_):
        captured["status"] = http_response.status_code
        captured["headers"] = {k.lower(): v for k, v in http_response.headers.items()}
        captured["body"] = http_response.content.decode("utf-8", "replace")

    ecr.meta.events.register("after-call.ecr.DeleteRepository", capture)
    try:
        ecr.delete_repository(repositoryName=args.name, force=args.force)
        captured["error_code"] = None
    except botocore.exceptions.ClientError as e:
        captured["error_code"] = e.response.get("Error", {}).get("Code")
    finally:
        ecr.meta.events.unregister("after-call.ecr.DeleteRepository", capture)
    return captured


def create_role(args):
    iam = client("iam", args)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Federated": "*"}, "Action": "sts:AssumeRoleWithWebIdentity"},
        ],
    }
    role = call(iam.create_role, RoleName=args.name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    call(
        iam.put_role_policy,
        RoleName=args.name,
        PolicyName="allow-all",
        PolicyDocument=json.dumps(ADMIN_POLICY),
    )
    return {"arn": role["Arn"]}


def allow_unsigned_web_identity():
    """Real STS takes AssumeRoleWithWebIdentity unsigned (the token is the proof); moto 5.2.5
    with auth on tries to read the Authorization header of every request and fails on it. Let
    that one action through unauthenticated, as AWS does; every other request is still checked."""
    from moto.core.authorization import ActionAuthenticatorMixin

    checked = ActionAuthenticatorMixin._authenticate_and_authorize_action

    def authenticate(self, iam_request_cls, resource="*"):
        if "Authorization" not in self.headers and self._get_action() == "AssumeRoleWithWebIdentity":
            return None
        return checked(self, iam_request_cls, resource)

    ActionAuthenticatorMixin._authenticate_and_authorize_action = authenticate


def command_parser(standalone):
    parser = argparse.ArgumentParser(
        prog="fixture.py", description=__doc__.splitlines()[0], exit_on_error=standalone
    )
    if standalone:
        parser.add_argument("--endpoint", help="moto's URL, http://127.0.0.1:PORT")
    parser.add_argument("--access-key-id")
    parser.add_argument("--secret-access-key")
    sub = parser.add_subparsers(dest="command", required=True)
    if standalone:
        sub.add_parser("serve", help="start moto with auth on and serve commands on stdin")
        sub.add_parser("create-user").set_defaults(func=create_user)
    for name, func in [
        ("create-repo", create_repo),
        ("put-image", put_image),
        ("describe-repo", describe_repo),
        ("create-role", create_role),
    ]:
        p = sub.add_parser(name)
        p.add_argument("name")
        p.set_defaults(func=func)
    p = sub.add_parser("delete-repo")
    p.add_argument("name")
    p.add_argument("--force", action="store_true")
    p.set_defaults(func=delete_repo)
    return parser


def emit(doc):
    sys.stdout.write(json.dumps(doc, default=str) + "\n")
    sys.stdout.flush()


def serve():
    # Read by moto.settings at import time, so set before importing moto.
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = str(CREATE_USER_REQUESTS)
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    allow_unsigned_web_identity()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"

    keys = create_user(argparse.Namespace(endpoint=endpoint, access_key_id=None, secret_access_key=None))
    emit({"endpoint": endpoint, **keys})

    parser = command_parser(standalone=False)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            args = parser.parse_args(shlex.split(line))
            args.endpoint = endpoint
            args.access_key_id = args.access_key_id or keys["access_key_id"]
            args.secret_access_key = args.secret_access_key or keys["secret_access_key"]
            emit(args.func(args))
        except Failure as f:
            emit(f.doc)
        except (Exception, SystemExit) as e:  # argparse exits on bad input; keep serving
            emit({"error": "FixtureError", "message": f"{type(e).__name__}: {e}", "status": None})
    server.stop()


def main():
    args = command_parser(standalone=True).parse_args()
    if args.command == "serve":
        serve()
        return 0
    if not args.endpoint:
        sys.exit("fixture.py: --endpoint is required")
    args.access_key_id = args.access_key_id or os.environ.get("AWS_ACCESS_KEY_ID")
    args.secret_access_key = args.secret_access_key or os.environ.get("AWS_SECRET_ACCESS_KEY")
    try:
        emit(args.func(args))
    except Failure as f:
        emit(f.doc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
