"""Runs the test OpenID Connect provider: ``python -m tests.oidc_provider.serve DB REDIRECT_URI EMAIL GROUP...``.

It binds 127.0.0.1 on a free port, makes its database, one user (password ``provider-pass``) in the
given groups and one confidential client (``salkku`` / ``salkku-secret``) allowed the redirect URI,
prints ``ISSUER <url>`` and serves until it is stopped.
"""

import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler


def main(db, redirect_uri, email, *groups):
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    issuer = f"http://127.0.0.1:{server.server_port}/o"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        PROVIDER_DB=db,
        PROVIDER_ISSUER=issuer,
        PROVIDER_RSA_KEY=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
    )
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("county-user", email=email, password="provider-pass")
    user.first_name, user.last_name = "Leena", "Mämmi-Laukka"
    user.save()
    user.groups.add(*(Group.objects.create(name=name) for name in groups))
    Application.objects.create(
        name="Salkku",
        client_id="salkku",
        client_secret="salkku-secret",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris=redirect_uri,
        skip_authorization=True,
    )
    server.set_app(get_wsgi_application())
    print("ISSUER", issuer, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
