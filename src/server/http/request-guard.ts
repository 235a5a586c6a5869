/**
 * Which host names this server answers to, and which pages may use its API.
 *
 * Host: a web page on evil.example can make its own name resolve to a server on the visitor's
 * LAN (DNS rebinding) and then read that server as same-origin. The browser still sends
 * `Host: evil.example`, so only names this server knows are answered: IP addresses, localhost,
 * this machine's name, the names in its TLS certificate, and HUDDLE_ALLOWED_HOSTS.
 *
 * Origin: a page elsewhere must not mint tokens or join rooms in its visitors' names (a
 * cross-origin `text/plain` POST needs no CORS preflight). The API (`/login`, `/signal`) takes
 * requests from its own origin, from clients that send no Origin (programs, not browsers), and
 * from HUDDLE_ALLOWED_ORIGINS.
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HuddleError } from '../../protocol/errors.js';

export interface AllowedHosts {
  any: boolean;
  /** Exact names, lower case. */
  names: Set<string>;
  /** `.example.com` entries: any name ending so. */
  suffixes: string[];
}

/** The host names answered by default, plus the configured ones (`*` answers any). */
export function allowedHosts(configured: string[], tlsCert: string | undefined): AllowedHosts {
  const names = new Set(['localhost']);
  const machine = hostname().toLowerCase();
  if (machine) names.add(machine).add(`${machine}.local`);
  for (const name of tlsCert ? certificateNames(tlsCert) : []) names.add(name);
  const suffixes = ['.localhost'];
  for (const entry of configured.map((e) => e.toLowerCase())) {
    if (entry.startsWith('.')) suffixes.push(entry);
    else names.add(entry);
  }
  return { any: configured.includes('*'), names, suffixes };
}

function certificateNames(pem: string): string[] {
  try {
    const alt = new X509Certificate(pem).subjectAltName ?? '';
    return alt
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry.startsWith('DNS:'))
      .map((entry) => entry.slice(4).toLowerCase())
      .map((name) => (name.startsWith('*.') ? name.slice(1) : name));
  } catch {
    return [];
  }
}

/** `name`, `name:port`, `[v6]:port` → the name alone, lower case. */
function hostName(host: string): string {
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) return lower.slice(1, lower.indexOf(']'));
  const colon = lower.lastIndexOf(':');
  return colon === -1 || lower.indexOf(':') !== colon ? lower : lower.slice(0, colon);
}

export function isHostAllowed(host: string | undefined, allowed: AllowedHosts): boolean {
  if (allowed.any) return true;
  if (!host) return false;
  const name = hostName(host).replace(/\.$/, '');
  if (isIP(name) !== 0) return true;
  if (allowed.names.has(name)) return true;
  return allowed.suffixes.some((suffix) => name.endsWith(suffix));
}

export interface AllowedOrigins {
  any: boolean;
  origins: Set<string>;
}

export function allowedOrigins(configured: string[]): AllowedOrigins {
  return {
    any: configured.includes('*'),
    origins: new Set(configured.filter((o) => o !== '*').map((o) => o.replace(/\/$/, '').toLowerCase())),
  };
}

/** An origin let in by the setting itself (not by being this server's own). */
export function isOriginListed(origin: string, allowed: AllowedOrigins): boolean {
  return allowed.any || allowed.origins.has(origin.toLowerCase());
}

export function isOriginAllowed(origin: string | undefined, host: string, allowed: AllowedOrigins): boolean {
  if (origin === undefined || isOriginListed(origin, allowed)) return true;
  const lower = origin.toLowerCase();
  try {
    // Same origin: compared by host and port only, since a TLS proxy in front changes the scheme.
    return new URL(lower).host === host.toLowerCase();
  } catch {
    // `null` (sandboxed frames, file: pages) and anything unparsable are not this origin.
    return false;
  }
}

/** Every request: refused with HOST_NOT_ALLOWED (421) for a host name this server does not answer to. */
export function hostGuard(allowed: AllowedHosts, onRefused: (host: string) => void) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    if (isHostAllowed(request.host, allowed)) return;
    const shown = String(request.host ?? '').slice(0, 100);
    onRefused(shown);
    throw new HuddleError(
      'HOST_NOT_ALLOWED',
      `This server does not answer to the host name '${shown}'; its operator can add it to HUDDLE_ALLOWED_HOSTS`,
    );
  };
}

/** The API's routes: refused with ORIGIN_NOT_ALLOWED (403) for a page on an origin not allowed. */
export function originGuard(allowed: AllowedOrigins) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (isOriginAllowed(origin, request.host, allowed)) return;
    throw new HuddleError(
      'ORIGIN_NOT_ALLOWED',
      `Pages on ${String(origin).slice(0, 100)} may not use this server; its operator can add it to HUDDLE_ALLOWED_ORIGINS`,
    );
  };
}
