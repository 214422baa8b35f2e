/** The `passport-multistep --help` text. */
export const usage = `Usage: passport-multistep check <idcs|oaa|cyberark> --url <url> [options]

Verifies a provider configuration without logging anyone in: the URL, the
connection (DNS, TCP, proxy), the TLS certificate, an HTTP answer, then the
provider's own API checks. Prints one line per check and a next step for
every failure. Exit code: 0 all checks pass, 1 a check failed, 2 bad usage.

Common options
  --url <url>              the provider's base URL (or IDCS_URL / OAA_URL / CYBERARK_URL)
  --proxy                  use HTTPS_PROXY / HTTP_PROXY / NO_PROXY, like \`http: { proxy: true }\`
  --ca <file>              extra trusted CA certificates (PEM), like \`http.ca\`
  --timeout <ms>           timeout of each call (connect, headers, body, whole call)
  --json                   print the report as JSON
  -h, --help               this text

idcs (token + first Authenticate API call; no user is involved)
  --client-id <id>         confidential app's client id      (or IDCS_CLIENT_ID)
  --client-secret <secret> its secret; prefer IDCS_CLIENT_SECRET (kept out of shell history)
  --app-name <name>        app whose sign-on policy applies   (or IDCS_APP_NAME)
  --scope <scope>          token scope (default urn:opc:idm:__myscopes__)

oaa (runtime API credentials; agent and assurance level need a user)
  --api-user <user>        runtime API Basic user, e.g. oaainstall-oaa (or OAA_API_USERNAME)
  --api-key <key>          the decoded oaaapikey; prefer OAA_API_KEY
  --bearer <token>         an OAuth bearer token instead; prefer OAA_BEARER_TOKEN

cyberark (StartAuthentication with an empty user name: names nobody, opens no session)
  --tenant-id <id>         tenant id, e.g. ABC1234               (or CYBERARK_TENANT_ID)
  --pod-allowlist <hosts>  hosts a pod redirect may go to (comma-separated, repeatable)

Example
  IDCS_CLIENT_SECRET=... npx passport-multistep check idcs \\
    --url https://idcs-0123456789abcdef.identity.oraclecloud.com --client-id 0a1b2c --app-name MyApp
`;
