import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { entryScript, type Entry } from './entrypoints.js';

describe('entryScript', () => {
  it('names a compiled entry that exists, for each executable', () => {
    for (const name of ['kubetest', 'kubetest-e2e', 'forwarder', 'heartbeat'] as Entry[]) {
      assert.ok(existsSync(entryScript(name)), `${name}: ${entryScript(name)}`);
    }
  });
});
