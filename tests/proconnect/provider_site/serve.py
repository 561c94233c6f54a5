"""Start the local ProConnect-like provider: `python -m tests.proconnect.provider_site.serve`.

Environment: PROVIDER_DATABASE (a SQLite file), PROVIDER_USERS (JSON: username → password,
email, names, uid, siret, acr, amr…), PROVIDER_CLIENT (JSON: client_id, client_secret),
PROVIDER_SECRET_KEY and PROVIDER_CONTROL_TOKEN. Listens on a free port of 127.0.0.1 and prints
`READY <port>` once it answers.
"""

import json
import os
import sys
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def prepare() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0, interactive=False)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    RSAKey.objects.create(key=pem.decode())
    with Path(os.environ["PROVIDER_USERS"]).open(encoding="utf-8") as handle:
        users = json.load(handle)
    for username, about in users.items():
        get_user_model().objects.create_user(
            username=username, email=about["email"], password=about["password"]
        )
    registration = json.loads(os.environ["PROVIDER_CLIENT"])
    client = Client.objects.create(
        name="OpenNRM (tests)",
        client_type="confidential",
        client_id=registration["client_id"],
        client_secret=registration["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
    )
    client.response_types.add(ResponseType.objects.get(value="code"))


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.proconnect.provider_site.settings"
    import django

    django.setup()
    prepare()
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1",
        0,
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    sys.stdout.write(f"READY {server.server_port}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
