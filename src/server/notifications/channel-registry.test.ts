import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHANNEL_TYPES, CHANNELS, channelOfType } from './channel-registry';
import { webhookSignature } from './channels/webhook';

describe('channel registry', () => {
  it('has one entry per type, each with its fields in its settings schema', () => {
    expect(CHANNEL_TYPES).toEqual(['slack', 'teams', 'discord', 'telegram', 'ntfy', 'webhook', 'email']);
    for (const channel of CHANNELS) {
      const shape = Object.keys((channel.settings as unknown as { shape: object }).shape).sort();
      expect(channel.fields.map((field) => field.name).sort()).toEqual(shape);
    }
    expect(channelOfType('pager')).toBeNull();
  });

  it('marks every URL that can carry a token, and every password, as secret', () => {
    const secret = (type: string) =>
      channelOfType(type)!
        .fields.filter((field) => field.secret)
        .map((field) => field.name);
    expect(secret('slack')).toEqual(['webhookUrl']);
    expect(secret('teams')).toEqual(['webhookUrl']);
    expect(secret('discord')).toEqual(['webhookUrl']);
    expect(secret('telegram')).toEqual(['botToken']);
    expect(secret('ntfy')).toEqual(['token']);
    expect(secret('webhook')).toEqual(['url', 'secret']);
    expect(secret('email')).toEqual(['password']);
  });

  it('reads e-mail recipients as a checked, comma-separated list', () => {
    const settings = channelOfType('email')!.settings;
    const base = { host: 'smtp.example.test', from: 'rise@example.test' };
    expect(settings.parse({ ...base, to: ' a@example.test,b@example.test ' })).toMatchObject({
      port: 587,
      secure: false,
      to: 'a@example.test, b@example.test',
    });
    expect(settings.safeParse({ ...base, to: 'a@example.test, nobody' }).success).toBe(false);
  });
});

describe('webhookSignature', () => {
  it('is sha256=<hex HMAC of "<timestamp>.<body>">', () => {
    const expected = createHmac('sha256', 'k'.repeat(16)).update('1700000000.{"a":1}').digest('hex');
    expect(webhookSignature('k'.repeat(16), '1700000000', '{"a":1}')).toBe(`sha256=${expected}`);
  });
});
