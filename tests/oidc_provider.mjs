// A real OpenID Connect provider for the single sign-on tests: the certified `oidc-provider` package
// (npm, a devDependency) with its built-in sign-in and consent pages, on 127.0.0.1 only.
//
//   node tests/oidc_provider.mjs   with OIDC_TEST_PORT, OIDC_TEST_CLIENT_ID, OIDC_TEST_CLIENT_SECRET,
//                                  OIDC_TEST_REDIRECT_URI and OIDC_TEST_ACCOUNTS (JSON: login → claims)
//
// Signing in with a login that is not in OIDC_TEST_ACCOUNTS fails; the claims of an account are
// released by scope (email: email and email_verified; profile: name; roles: roles). Prints
// "ready <issuer>" once it listens. Started and stopped by the `oidc_provider` fixture (tests/accounts).
import Provider from "oidc-provider";

const port = Number(process.env.OIDC_TEST_PORT);
const accounts = JSON.parse(process.env.OIDC_TEST_ACCOUNTS || "{}");
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.OIDC_TEST_CLIENT_ID,
      client_secret: process.env.OIDC_TEST_CLIENT_SECRET,
      redirect_uris: [process.env.OIDC_TEST_REDIRECT_URI],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name"],
    roles: ["roles"],
  },
  scopes: ["openid", "email", "profile", "roles"],
  conformIdTokenClaims: false, // put the scopes' claims in the ID token too, as Entra ID does
  async findAccount(ctx, id) {
    if (!Object.hasOwn(accounts, id)) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  cookies: { keys: ["strategy-tracker-tests-only"] },
  features: { devInteractions: { enabled: true } },
});
provider.proxy = false;

const server = provider.listen(port, "127.0.0.1", () => {
  process.stdout.write(`ready ${issuer}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
