"""A local OpenID Connect provider answering as ProConnect does, for the tests.

A tiny Django project around django-oidc-provider (a real provider implementation), started by
the tests as a subprocess on a free port of 127.0.0.1 (`serve.py`). What it adds to make it
ProConnect-like: the authorization endpoint refuses unknown parameters and a nonce or state
shorter than 32 characters, scopes are one per claim (`given_name`, `usual_name`, `uid`,
`siret`, `idp_id`), the userinfo endpoint answers a signed JWT (`application/jwt`), the ID
token carries `acr` and `amr`, and the end-session endpoint requires `id_token_hint` and
`state`. Fictional users, with how each signed in, come from a JSON file (`PROVIDER_USERS`);
two of them misbehave on purpose: one gets an ID token with another nonce, one a userinfo
answer signed by a key the provider does not publish.
"""
