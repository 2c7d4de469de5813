/** What a CI snippet is filled with: this Rise, the project, and the service account's claim rules. */
export type SnippetTarget = {
  riseUrl: string;
  project: string;
  claims: Record<string, string | number | boolean>;
};

export const CI_PROVIDERS = [
  { id: 'github', label: 'GitHub Actions', file: '.github/workflows/deploy-to-rise.yml' },
  { id: 'gitlab', label: 'GitLab CI', file: '.gitlab-ci.yml' },
] as const;
export type CiProvider = (typeof CI_PROVIDERS)[number]['id'];

/** A YAML double-quoted scalar (JSON strings are valid YAML). */
const quoted = (value: string) => JSON.stringify(value);
const claim = (claims: SnippetTarget['claims'], name: string) =>
  typeof claims[name] === 'string' ? (claims[name] as string) : undefined;

/** The provider whose tokens an issuer URL signs, to open its snippet first. */
export function providerOf(issuer: string): CiProvider {
  return /gitlab/i.test(new URL(issuer).hostname) ? 'gitlab' : 'github';
}

/** The `on:` trigger matching the account's `ref` rule (refs/heads/… or refs/tags/…), else pushes to main. */
function githubTrigger(ref: string | undefined) {
  const tag = ref?.match(/^refs\/tags\/(.+)$/)?.[1];
  if (tag) return ['on:', '  push:', `    tags: [${quoted(tag)}]`];
  const branch = ref?.match(/^refs\/heads\/(.+)$/)?.[1] ?? 'main';
  return ['on:', '  push:', `    branches: [${quoted(branch)}]`];
}

/**
 * A GitHub Actions workflow whose job asks GitHub for an OIDC token with the account's `aud` and deploys
 * with it as RISE_TOKEN. Its workflow name, trigger and environment follow the account's `workflow`,
 * `ref` and `environment` rules, so that the token it gets carries them.
 */
export function githubActionsSnippet({ riseUrl, project, claims }: SnippetTarget): string {
  const audience = claim(claims, 'aud') ?? '';
  const environment = claim(claims, 'environment');
  return [
    `name: ${quoted(claim(claims, 'workflow') ?? 'Deploy to Rise')}`,
    ...githubTrigger(claim(claims, 'ref')),
    'permissions:',
    '  id-token: write # lets the job request an OIDC token',
    '  contents: read',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    ...(environment ? [`    environment: ${quoted(environment)}`] : []),
    '    steps:',
    '      - uses: actions/checkout@v4',
    `      - name: Deploy ${project}`,
    '        env:',
    `          RISE_URL: ${quoted(riseUrl)}`,
    '        # needs the rise CLI on the runner PATH',
    '        run: |',
    '          RISE_TOKEN="$(curl -fsS -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\',
    `            "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${encodeURIComponent(audience)}" | jq -r .value)"`,
    '          export RISE_TOKEN',
    `          rise d c ${project}`,
    '',
  ].join('\n');
}

const singleQuoted = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * A GitLab CI job whose `id_tokens` puts a token for the account's `aud` in RISE_TOKEN. It runs only
 * for the account's `ref` when it has one, in its `environment` when it has one.
 */
export function gitlabCiSnippet({ riseUrl, project, claims }: SnippetTarget): string {
  const ref = claim(claims, 'ref');
  const environment = claim(claims, 'environment');
  return [
    'deploy-to-rise:',
    '  stage: deploy',
    ...(environment ? [`  environment: ${quoted(environment)}`] : []),
    '  id_tokens:',
    '    RISE_TOKEN:',
    `      aud: ${quoted(claim(claims, 'aud') ?? '')}`,
    '  variables:',
    `    RISE_URL: ${quoted(riseUrl)}`,
    ...(ref
      ? ['  rules:', `    - if: ${singleQuoted(`$CI_COMMIT_REF_NAME == ${JSON.stringify(ref)}`)}`]
      : []),
    '  # needs the rise CLI in the job image',
    '  script:',
    `    - rise d c ${project}`,
    '',
  ].join('\n');
}

export const snippetFor = (provider: CiProvider, target: SnippetTarget) =>
  provider === 'github' ? githubActionsSnippet(target) : gitlabCiSnippet(target);
