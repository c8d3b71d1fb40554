import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/**
 * The packages whose `engines.node` excludes our floor, i.e. every `EBADENGINE` warning `npm ci`
 * prints on the lowest Node we claim. Each is explained in the README ("Node versions"); a new one
 * must be checked on Node 20 and explained there (or avoided) before it joins this list.
 */
const EXPLAINED_IN_README = [
  '@angular-devkit/core',
  '@angular-devkit/schematics',
  '@angular-devkit/schematics-cli',
  '@nestjs/schematics',
  'commander',
  'file-type',
  'nestjs-pino',
];

type Version = [number, number, number];

/**
 * Enough of node-semver's range grammar for `engines` fields (`||`, spaces, `^ ~ >= > <= < =`,
 * partial versions, `x`/`*`), so this check needs no dependency; anything else throws.
 */
function satisfies(version: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter((part) => part.length > 0)
      .every((comparator) => matches(version, comparator)),
  );
}

function matches(version: Version, comparator: string): boolean {
  const parsed = /^(>=|<=|>|<|=|\^|~)?v?(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/i.exec(
    comparator,
  );
  if (!parsed) {
    throw new Error(`unsupported engines range syntax: "${comparator}"`);
  }
  const [, op = '=', ...parts] = parsed;
  const given = parts.filter((part) => part !== undefined && !/^[x*]$/i.test(part)).map(Number);
  const [major = 0, minor = 0, patch = 0] = given;
  const lower: Version = [major, minor, patch];
  const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  const atLeast = compare(version, lower) >= 0;
  switch (op) {
    case '>=':
      return atLeast;
    case '>':
      return compare(version, lower) > 0;
    case '<=':
      return compare(version, lower) <= 0;
    case '<':
      return compare(version, lower) < 0;
    case '^':
      return atLeast && version[0] === major && (major > 0 || version[1] === minor);
    case '~':
      return atLeast && version[0] === major && (given.length < 2 || version[1] === minor);
    default:
      // "=" or bare: a partial version is a range ("20" = 20.x.x).
      return given.every((part, index) => version[index] === part);
  }
}

describe('Node support (README "Node versions")', () => {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    engines: { node: string };
  };
  const floor = /^>=\s*(\d+)\.(\d+)(?:\.(\d+))?$/.exec(manifest.engines.node);
  const lowest: Version = [Number(floor?.[1]), Number(floor?.[2]), Number(floor?.[3] ?? 0)];

  it('claims a plain floor in engines.node', () => {
    expect(floor).not.toBeNull();
  });

  it('knows every installed package that says it needs a newer Node than our floor', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[] }>;
    };
    const warning = new Set<string>();
    for (const [path, entry] of Object.entries(lock.packages)) {
      const node = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
      if (path !== '' && node && !satisfies(lowest, node)) {
        warning.add(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
      }
    }
    expect([...warning].sort()).toEqual(EXPLAINED_IN_README);
  });

  it('explains each of them in the README', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Node versions'));
    const table = section.slice(0, section.indexOf('\n### '));
    for (const name of EXPLAINED_IN_README) {
      expect(table).toContain(`\`${name}\``);
    }
  });

  it('reads engines ranges the way npm does', () => {
    expect(satisfies([20, 19, 0], '^20.19.0 || ^22.13.0 || >=24')).toBe(true);
    expect(satisfies([20, 19, 0], '>=22.12.0')).toBe(false);
    expect(satisfies([20, 19, 0], '20 || >=22')).toBe(true);
    expect(satisfies([20, 19, 0], '>= 14')).toBe(true);
    expect(satisfies([20, 19, 0], '>=23.5.0 || ^22.13.0 || ^20.17.0')).toBe(true);
    expect(satisfies([20, 19, 0], '^22.22.3 || ^24.15.0 || >=26.0.0')).toBe(false);
    expect(satisfies([20, 19, 0], '~20.18.0')).toBe(false);
    expect(satisfies([20, 19, 0], '18.x || 20.x')).toBe(true);
    expect(() => satisfies([20, 19, 0], 'node-lts')).toThrow(/unsupported/);
  });
});
