// Safe untar: the attacks one by one, then property-based: random archives (links, `..`, absolute names, long
// names, duplicates across tarballs, unpacked concurrently into one root) never put anything outside the root.
import assert from 'node:assert/strict';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { rawTar, type RawTarEntry } from '../../test/helpers/rawtar.js';
import { DEFAULT_LIMITS, ExtractRoot, UnsafeTarballError, type ExtractLimits } from './untar.js';

const made: string[] = [];
after(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** sandbox/d1/.../d6/root: deep, so that a climb out of the root still lands inside the sandbox. */
function sandbox(): { top: string; root: string; outside: string } {
  const top = mkdtempSync(join(tmpdir(), 'kubetest-untar-'));
  made.push(top);
  const root = join(top, 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'root');
  const outside = join(top, 'outside');
  mkdirSync(root, { recursive: true });
  mkdirSync(outside);
  return { top, root, outside };
}

const src = (entries: RawTarEntry[]) => Readable.from([rawTar(entries)]);

/** Every path under `dir`, not descending into `skip`. */
function listing(dir: string, skip: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (p === skip) continue;
    out.push(p);
    if (e.isDirectory()) listing(p, skip, out);
  }
  return out;
}

async function unpackAll(
  root: ExtractRoot,
  rootDir: string,
  tarballs: RawTarEntry[][],
  o: { strip?: number; gzip?: boolean } = {},
): Promise<void> {
  const k = join(rootDir, 'kubernetes');
  await Promise.all(
    tarballs.map((t, i) =>
      root.unpack(Readable.from([o.gzip ? gzipSync(rawTar(t)) : rawTar(t)]), {
        cwd: rootDir,
        strip: o.strip ?? 0,
        linkRoot: k,
        label: `t${i}.tar`,
        gzip: o.gzip ?? false,
      }),
    ),
  );
}

describe('safe untar: attacks', () => {
  const K: RawTarEntry = { path: 'kubernetes/', type: 'Directory' };

  it('unpacks files, dirs, inner symlinks and hardlinks; drops setuid/setgid/sticky', async () => {
    const { root } = sandbox();
    const r = new ExtractRoot(root);
    await unpackAll(r, root, [
      [
        K,
        { path: 'kubernetes/bin/tool', type: 'File', body: 'x', mode: 0o6755 },
        { path: 'kubernetes/bin/empty', type: 'File', body: '', mode: 0o700 },
        { path: 'kubernetes/shared/', type: 'Directory', mode: 0o1777 },
        { path: 'kubernetes/vendor/', type: 'Directory' },
        { path: 'kubernetes/vendor/api', type: 'SymbolicLink', linkpath: '../bin' },
        { path: 'kubernetes/tool2', type: 'Link', linkpath: 'kubernetes/bin/tool' },
      ],
    ]);
    const k = join(root, 'kubernetes');
    assert.equal(statSync(join(k, 'bin', 'tool')).mode & 0o7777, 0o755);
    assert.equal(statSync(join(k, 'bin', 'empty')).mode & 0o7777, 0o700);
    assert.equal(statSync(join(k, 'bin', 'empty')).size, 0);
    assert.equal(statSync(join(k, 'shared')).mode & 0o7000, 0);
    assert.equal(readFileSync(join(k, 'vendor', 'api', 'tool'), 'utf8'), 'x');
    assert.equal(statSync(join(k, 'tool2')).ino, statSync(join(k, 'bin', 'tool')).ino);
    r.verify(k, 'test');
  });

  it('a chain of relative links is refused at the first link that climbs out', async () => {
    const { root } = sandbox();
    const chain: RawTarEntry[] = [K, { path: 'kubernetes/x/', type: 'Directory' }];
    for (let i = 1; i <= 6; i++)
      chain.push({ path: `kubernetes/x/s${i}`, type: 'SymbolicLink', linkpath: i === 1 ? '..' : `s${i - 1}/..` });
    await assert.rejects(
      unpackAll(new ExtractRoot(root), root, [chain]),
      /t0\.tar: refusing to extract: symlink "kubernetes\/x\/s2" -> "s1\/\.\." points outside the target directory/,
    );
  });

  it('the chain planted in reverse order passes entry by entry but not the check of the finished tree', async () => {
    const { root } = sandbox();
    const chain: RawTarEntry[] = [K, { path: 'kubernetes/x/', type: 'Directory' }];
    for (let i = 6; i >= 1; i--)
      chain.push({ path: `kubernetes/x/s${i}`, type: 'SymbolicLink', linkpath: i === 1 ? '.' : `s${i - 1}/..` });
    const r = new ExtractRoot(root);
    await unpackAll(r, root, [chain]);
    assert.throws(
      () => r.verify(join(root, 'kubernetes'), 'ci/latest'),
      /ci\/latest: symlink "x\/s\d" -> "s\d\/\.\." points outside the tree/,
    );
  });

  it("one tarball cannot turn another's unpack dir (or any dir) into a symlink", async () => {
    const { root } = sandbox();
    const r = new ExtractRoot(root);
    const plat = join(root, 'kubernetes', 'platforms', 'linux', 'amd64');
    mkdirSync(plat, { recursive: true });
    await assert.rejects(
      r.unpack(src([K, { path: 'kubernetes/platforms/linux/amd64', type: 'SymbolicLink', linkpath: '../../inner' }]), {
        cwd: root,
        linkRoot: join(root, 'kubernetes'),
        label: 'kubernetes.tar.gz',
      }),
      /kubernetes\.tar\.gz: refusing to extract: "kubernetes\/platforms\/linux\/amd64" would replace the directory/,
    );
    assert.ok(lstatSync(plat).isDirectory());
  });

  it('a path through a symlink planted by another tarball is refused', async () => {
    const { root } = sandbox();
    const r = new ExtractRoot(root);
    await unpackAll(r, root, [[K, { path: 'kubernetes/server', type: 'SymbolicLink', linkpath: 'inner' }]]);
    await assert.rejects(
      r.unpack(src([{ path: 'kubernetes/server/bin/kubectl', type: 'File', body: 'x' }]), {
        cwd: root,
        label: 'server.tar.gz',
      }),
      (e: Error) =>
        e.message.includes(
          'server.tar.gz: refusing to extract: "kubernetes/server/bin/kubectl" goes through the symlink ' +
            '"kubernetes/server"',
        ),
    );
  });

  it('the unpack dir itself must not be a symlink', async () => {
    const { root } = sandbox();
    const r = new ExtractRoot(root);
    await unpackAll(r, root, [[K, { path: 'kubernetes/amd64', type: 'SymbolicLink', linkpath: '.' }]]);
    await assert.rejects(
      r.unpack(src([{ path: 'kubectl', type: 'File', body: 'x' }]), {
        cwd: join(root, 'kubernetes', 'amd64'),
        label: 'client.tar.gz',
      }),
      /goes through the symlink "kubernetes\/amd64"/,
    );
  });

  for (const [type, re] of [
    ['FIFO', /FIFO entry "kubernetes\/p"/],
    ['CharacterDevice', /CharacterDevice entry "kubernetes\/p"/],
    ['BlockDevice', /BlockDevice entry "kubernetes\/p"/],
  ] as const) {
    it(`${type} entries are refused`, async () => {
      const { root } = sandbox();
      await assert.rejects(unpackAll(new ExtractRoot(root), root, [[K, { path: 'kubernetes/p', type }]]), re);
      assert.ok(!existsSync(join(root, 'kubernetes', 'p')));
    });
  }

  it('absolute names, `..` and absolute or escaping link targets are refused', async () => {
    for (const [e, re] of [
      [{ path: '/etc/x', type: 'File' }, /absolute path "\/etc\/x"/],
      [{ path: 'kubernetes/../../x', type: 'File' }, /leaves the target directory/],
      [{ path: 'kubernetes/l', type: 'SymbolicLink', linkpath: '/etc' }, /points to the absolute path "\/etc"/],
      [{ path: 'kubernetes/l', type: 'SymbolicLink', linkpath: '..' }, /points outside/],
      [
        { path: 'kubernetes/l', type: 'Link', linkpath: '../x' },
        /hardlink "kubernetes\/l" -> "\.\.\/x" points outside/,
      ],
    ] as Array<[RawTarEntry, RegExp]>) {
      const { root } = sandbox();
      await assert.rejects(unpackAll(new ExtractRoot(root), root, [[K, e]]), re);
    }
  });

  it('a huge name (pax) is cut in the error message', async () => {
    const { root } = sandbox();
    const long = `kubernetes/${'n/'.repeat(5000)}../../x`;
    await assert.rejects(unpackAll(new ExtractRoot(root), root, [[K, { path: long, type: 'File' }]]), (e: Error) => {
      assert.match(e.message, /^t0\.tar: refusing to extract: path "kubernetes\/n\/n.*…" leaves the target/);
      assert.ok(e.message.endsWith('" leaves the target directory'), e.message);
      assert.ok(e.message.length < 300, `${e.message.length} characters`);
      return true;
    });
  });

  it('caps: total bytes across tarballs, entries, expansion ratio', async () => {
    const lim = (l: Partial<ExtractLimits>) => ({ ...DEFAULT_LIMITS, ...l });
    let s = sandbox();
    const file = (n: number): RawTarEntry => ({ path: `kubernetes/f${n}`, type: 'File', body: Buffer.alloc(600) });
    await assert.rejects(
      unpackAll(new ExtractRoot(s.root, lim({ maxBytes: 1000 })), s.root, [
        [K, file(1)],
        [K, file(2)],
      ]),
      /refusing to extract: the release expands to more than 1000 bytes \(KUBETEST_EXTRACT_MAX_BYTES\)/,
    );
    s = sandbox();
    await assert.rejects(
      unpackAll(new ExtractRoot(s.root, lim({ maxEntries: 3 })), s.root, [
        [K, file(1)],
        [K, file(2)],
      ]),
      /the release holds more than 3 entries/,
    );
    s = sandbox();
    const zeros: RawTarEntry = { path: 'kubernetes/z', type: 'File', body: Buffer.alloc(4 << 20) };
    await assert.rejects(
      unpackAll(new ExtractRoot(s.root), s.root, [[K, zeros]], { gzip: true }),
      /it expands to more than 100 times its compressed size/,
    );
    s = sandbox();
    await unpackAll(new ExtractRoot(s.root, lim({ maxRatio: 10_000 })), s.root, [[K, zeros]], { gzip: true });
  });
});

// ---- property-based ----

const NAMES = ['kubernetes', 'a', 'b', 'server', 'bin', 'x'.repeat(120), 'y'.repeat(200)];
const SPECIAL = ['..', '.', ''];

/**
 * Archives: `hostile` ones put `..`, empty and absolute names in entry paths too (most are refused at some
 * entry); the others only in link targets (most extract, so the links between tarballs get exercised).
 */
function archives(hostile: boolean): fc.Arbitrary<RawTarEntry[][]> {
  const comp = hostile
    ? fc.oneof(
        { weight: 12, arbitrary: fc.constantFrom(...NAMES) },
        { weight: 1, arbitrary: fc.constantFrom(...SPECIAL) },
      )
    : fc.constantFrom(...NAMES);
  const linkComp = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...NAMES.slice(0, 5)) },
    { weight: 1, arbitrary: fc.constantFrom(...SPECIAL) },
  );
  const relPath = fc.array(comp, { minLength: 1, maxLength: 4 }).map((p) => p.join('/'));
  const linkText = fc.array(linkComp, { minLength: 1, maxLength: 4 }).map((p) => p.join('/'));
  const path = hostile
    ? fc.oneof(
        { weight: 20, arbitrary: relPath.map((p) => `kubernetes/${p}`) },
        { weight: 3, arbitrary: relPath },
        { weight: 1, arbitrary: relPath.map((p) => `/${p}`) },
      )
    : relPath.map((p) => `kubernetes/${p}`);
  const link = hostile
    ? fc.oneof({ weight: 8, arbitrary: linkText }, { weight: 1, arbitrary: linkText.map((p) => `/${p}`) })
    : linkText;
  const entry: fc.Arbitrary<RawTarEntry> = fc.oneof(
    { weight: 3, arbitrary: path.map((p) => ({ path: p, type: 'File' as const, body: 'data' })) },
    {
      weight: 2,
      arbitrary: fc
        .record({ path, mode: fc.constantFrom(0o755, 0o4755, 0o2755, 0o1777, 0o7777) })
        .map((r) => ({ ...r, type: 'File' as const, body: 'suid' })),
    },
    { weight: 2, arbitrary: path.map((p) => ({ path: `${p}/`, type: 'Directory' as const })) },
    {
      weight: 4,
      arbitrary: fc.record({ path, linkpath: link }).map((r) => ({ ...r, type: 'SymbolicLink' as const })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({ path, linkpath: fc.oneof(fc.constantFrom('kubernetes/a', 'kubernetes/bin'), path) })
        .map((r) => ({ ...r, type: 'Link' as const })),
    },
  );
  return fc.array(fc.array(entry, { minLength: 1, maxLength: hostile ? 7 : 5 }), { minLength: 1, maxLength: 3 });
}

describe('safe untar: properties', () => {
  for (const [hostile, minExtracted] of [
    [true, 10],
    [false, 40],
  ] as const) {
    const kind = hostile ? 'hostile' : 'link-heavy';
    it(`random ${kind} archives, several per root, concurrently: nothing appears outside the root`, async () => {
      const seen = { extracted: 0, verified: 0 };
      await fc.assert(
        fc.asyncProperty(
          archives(hostile),
          fc.integer({ min: 0, max: 1 }),
          fc.boolean(),
          async (tarballs, strip, gzip) => {
            const { top, root, outside } = sandbox();
            const before = listing(top, root);
            const fds = readdirSync('/proc/self/fd').length;
            const r = new ExtractRoot(root);
            const k = join(root, 'kubernetes');
            let ok = true;
            try {
              await unpackAll(r, root, tarballs, { strip, gzip });
            } catch (e) {
              ok = false;
              assert.ok(e instanceof Error, `rejects with an Error: ${String(e)}`);
              assert.ok(!(e as Error).message.includes('\n'), 'one line');
            }
            assert.deepEqual(listing(top, root), before, 'nothing new outside the root');
            assert.equal(readdirSync('/proc/self/fd').length, fds, 'no file descriptor left open');
            assert.deepEqual(readdirSync(outside), []);
            for (const p of listing(root, ''))
              assert.equal(lstatSync(p).mode & 0o7000, 0, `${p}: no setuid/setgid/sticky`);
            if (!ok || !existsSync(k) || !lstatSync(k).isDirectory()) return;
            seen.extracted++;
            // A tree that passes the final check has only links that resolve inside it.
            let verified = true;
            try {
              r.verify(k, 'prop');
            } catch (e) {
              assert.ok(e instanceof UnsafeTarballError, String(e));
              verified = false;
            }
            if (!verified) return;
            seen.verified++;
            const realK = realpathSync(k);
            for (const p of listing(k, '')) {
              if (!lstatSync(p).isSymbolicLink()) continue;
              let t: string;
              try {
                t = realpathSync(p);
              } catch {
                continue; // dangling or a loop: points nowhere
              }
              assert.ok(!relative(realK, t).startsWith('..'), `${p} -> ${t} resolves outside the tree`);
            }
          },
        ),
        { numRuns: 400 },
      );
      // The generator must reach the interesting cases, not only archives refused at their first entry.
      assert.ok(seen.extracted >= minExtracted, JSON.stringify(seen));
    });
  }
});
