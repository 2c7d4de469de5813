import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: the tests read the parsed YAML's fields by name.
const parse = (text: string) => load(text) as any;

import { githubActionsSnippet, gitlabCiSnippet, providerOf } from './ci-snippets';

const riseUrl = 'https://rise.example.com';

describe('githubActionsSnippet', () => {
  it('requests a token for the account aud and deploys the project with it', () => {
    const text = githubActionsSnippet({
      riseUrl,
      project: 'my-app',
      claims: { aud: 'https://rise.example.com', repository: 'acme/my-app' },
    });
    const workflow = parse(text);
    expect(workflow.permissions['id-token']).toBe('write');
    expect(workflow.on.push.branches).toEqual(['main']);
    const step = workflow.jobs.deploy.steps[1];
    expect(step.env.RISE_URL).toBe(riseUrl);
    expect(step.run).toContain('&audience=https%3A%2F%2Frise.example.com"');
    expect(step.run).toMatch(/export RISE_TOKEN\nrise d c my-app\n$/);
  });

  it('follows the ref, workflow and environment rules', () => {
    const branch = parse(
      githubActionsSnippet({
        riseUrl,
        project: 'my-app',
        claims: { aud: 'rise', ref: 'refs/heads/release', workflow: 'Ship it', environment: 'prod' },
      }),
    );
    expect(branch.name).toBe('Ship it');
    expect(branch.on.push.branches).toEqual(['release']);
    expect(branch.jobs.deploy.environment).toBe('prod');
    const tag = parse(
      githubActionsSnippet({ riseUrl, project: 'a', claims: { aud: 'r', ref: 'refs/tags/v1' } }),
    );
    expect(tag.on.push).toEqual({ tags: ['v1'] });
  });
});

describe('gitlabCiSnippet', () => {
  it('puts a token for the account aud in RISE_TOKEN and deploys the project', () => {
    const job = parse(
      gitlabCiSnippet({ riseUrl, project: 'my-app', claims: { aud: 'rise:prod', project_path: 'acme/app' } }),
    )['deploy-to-rise'];
    expect(job.id_tokens).toEqual({ RISE_TOKEN: { aud: 'rise:prod' } });
    expect(job.variables).toEqual({ RISE_URL: riseUrl });
    expect(job.script).toEqual(['rise d c my-app']);
    expect(job.rules).toBeUndefined();
  });

  it("runs only for the account's ref, in its environment", () => {
    const job = parse(
      gitlabCiSnippet({ riseUrl, project: 'a', claims: { aud: 'r', ref: "it's-main", environment: 'prod' } }),
    )['deploy-to-rise'];
    expect(job.rules).toEqual([{ if: `$CI_COMMIT_REF_NAME == "it's-main"` }]);
    expect(job.environment).toBe('prod');
  });
});

describe('providerOf', () => {
  it('opens GitLab for a GitLab issuer, GitHub otherwise', () => {
    expect(providerOf('https://gitlab.com')).toBe('gitlab');
    expect(providerOf('https://gitlab.acme.dev/')).toBe('gitlab');
    expect(providerOf('https://token.actions.githubusercontent.com')).toBe('github');
  });
});
