import { describe, expect, it } from 'vitest';
import { parseRiseToml, RiseTomlError } from '../rise-toml';

describe('[[cron]] in .rise.toml', () => {
  it('reads each job: its name, schedule and command (a shell line or an argument vector)', () => {
    const config = parseRiseToml(
      [
        'project = "my-app"',
        '[[cron]]',
        'name = "nightly-report"',
        'schedule = "0 3 * * *"',
        'command = "node scripts/report.js"',
        '[[cron]]',
        'name = "cleanup"',
        'schedule = "*/15 * * * *"',
        'command = ["node", "cleanup.js"]',
        '',
      ].join('\n'),
    );
    expect(config.cron).toEqual([
      { name: 'nightly-report', schedule: '0 3 * * *', command: 'node scripts/report.js' },
      { name: 'cleanup', schedule: '*/15 * * * *', command: ['node', 'cleanup.js'] },
    ]);
  });

  it('refuses a job without five schedule fields, a bad name, or two jobs of one name', () => {
    const parse = (jobs: string) => () => parseRiseToml(`project = "my-app"\n${jobs}`);
    expect(parse('[[cron]]\nname = "a"\nschedule = "hourly"\ncommand = "x"\n')).toThrow(/five cron fields/);
    expect(parse('[[cron]]\nname = "Bad_Name"\nschedule = "0 * * * *"\ncommand = "x"\n')).toThrow(
      RiseTomlError,
    );
    const twice = '[[cron]]\nname = "a"\nschedule = "0 * * * *"\ncommand = "x"\n';
    expect(parse(twice + twice)).toThrow(/two cron jobs are named "a"/);
  });
});
