import { describe, expect, it } from 'vitest';
import { gatewayConnection, IN_PROCESS_BASE_URL } from './gateway-connection.ts';

describe('gatewayConnection', () => {
  it("points at the OpenAI face of a gateway's origin or base URL", () => {
    for (const url of ['http://gw:8080', 'http://gw:8080/', 'http://gw:8080/v1', 'http://gw:8080/v1/'])
      expect(gatewayConnection({ url }).baseURL).toBe('http://gw:8080/v1');
    expect(gatewayConnection({ url: 'https://gw.example/orchestra' }).baseURL).toBe(
      'https://gw.example/orchestra/v1',
    );
    expect(gatewayConnection({ url: 'http://gw', apiKey: 'k' })).toEqual({
      baseURL: 'http://gw/v1',
      apiKey: 'k',
    });
  });

  it('refuses what is not a gateway URL, without echoing credentials', () => {
    expect(() => gatewayConnection({ url: 'gw:8080' })).toThrow(/expected http\(s\):\/\/host/);
    expect(() => gatewayConnection({ url: 'ftp://gw' })).toThrow(/the scheme is ftp/);
    expect(() => gatewayConnection({ url: 'http://gw/?a=1' })).toThrow(/query or a fragment/);
    let message = '';
    try {
      gatewayConnection({ url: 'http://user:s3cret@gw' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/no credentials in the URL/);
    expect(message).not.toContain('s3cret');
  });

  it("calls the app's fetch in process", async () => {
    const seen: string[] = [];
    const c = gatewayConnection({
      app: {
        fetch: (r) => {
          seen.push(r.url);
          return new Response('{}');
        },
      },
    });
    expect(c.baseURL).toBe(IN_PROCESS_BASE_URL);
    await c.fetch!(`${c.baseURL}/chat/completions`, { method: 'POST', body: '{}' });
    expect(seen).toEqual([`${IN_PROCESS_BASE_URL}/chat/completions`]);
  });
});
