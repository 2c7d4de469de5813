import { describe, expect, it } from 'vitest';
import {
  defaultInternalUrl,
  defaultRegistryInternalUrl,
  dialAddress,
  normaliseOrigin,
  originProblem,
} from './internal-addresses';

describe('internal addresses', () => {
  it('reach the web server where it binds, a wildcard on loopback', () => {
    expect(defaultInternalUrl('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000');
    expect(defaultInternalUrl('0.0.0.0', 4000)).toBe('http://127.0.0.1:4000');
    expect(defaultInternalUrl('::', 3000)).toBe('http://[::1]:3000');
    expect(defaultInternalUrl('fd00::5', 3000)).toBe('http://[fd00::5]:3000');
    expect(defaultInternalUrl('web', 3000)).toBe('http://web:3000');
  });

  it('reach the registry at its public host: http on loopback, https elsewhere', () => {
    expect(defaultRegistryInternalUrl('127.0.0.1:5000')).toBe('http://127.0.0.1:5000');
    expect(defaultRegistryInternalUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(defaultRegistryInternalUrl('[::1]:5000')).toBe('http://[::1]:5000');
    expect(defaultRegistryInternalUrl('registry.example.com')).toBe('https://registry.example.com');
    expect(defaultRegistryInternalUrl('10.0.0.5:5000')).toBe('https://10.0.0.5:5000');
  });

  it('accept origins only, and say what is wrong with anything else', () => {
    expect(originProblem('http://web:3000', ['http'])).toBeNull();
    expect(originProblem('http://web:3000/', ['http'])).toBeNull();
    expect(originProblem('https://registry:5000', ['http', 'https'])).toBeNull();
    expect(originProblem('https://web:3000', ['http'])).toBe('expected http://host:port (not https:)');
    expect(originProblem('web', ['http'])).toBe('expected http://host:port, e.g. http://web:3000');
    expect(originProblem('http://web:3000/rise', ['http'])).toBe(
      'expected http://host:port, without a path: Rise appends its own paths',
    );
    expect(originProblem('http://web:3000/?a=1', ['http'])).toContain('without a path');
    expect(originProblem('http://u:p@web:3000', ['http'])).toBe(
      'expected http://host:port, without user or password',
    );
    expect(normaliseOrigin('http://WEB:3000/')).toBe('http://web:3000');
  });

  it("give Caddy's dial address with the port made explicit", () => {
    expect(dialAddress('http://web:3000')).toBe('web:3000');
    expect(dialAddress('http://web')).toBe('web:80');
    expect(dialAddress('http://[::1]:3000')).toBe('[::1]:3000');
  });
});
