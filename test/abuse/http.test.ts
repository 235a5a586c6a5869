/**
 * HTTP hardening: the page's policy lets it reach this server only, plain HTTP sends no HSTS, and
 * odd URLs keep the one error shape.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../helpers/in-process';

let app: FastifyInstance;
beforeAll(async () => {
  ({ app } = await buildTestApp());
});
afterAll(() => app.close());

describe('HTTP under attack', () => {
  it('the page may connect only to this server, and plain HTTP sends no HSTS', async () => {
    const page = await app.inject({ method: 'GET', url: '/' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
    expect(csp).not.toMatch(/connect-src[^;]*\bws:/);
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('odd URLs and unknown paths get the one error shape', async () => {
    for (const url of ['/%c0%ae', '/nothing-here', '/login/%00']) {
      const answer = await app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(Object.keys(answer.json()).sort(), url).toEqual(expect.arrayContaining(['code', 'message']));
    }
  });
});
